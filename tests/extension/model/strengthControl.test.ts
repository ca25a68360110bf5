// The viewer's side of noise-conditioned models: which model Denoise uses for
// an image (the picked one, else its kind's default by the one rule), the run
// id that names a model at a strength (so each strength is cached apart and
// the MIAS models' image ids stay as they were), the label text, and the
// strength control (enabled only for a model with a noise map; the current
// strength is its active entry). The catalog and service are real, served
// from a fixture index; OHIF's toolbar and the Cornerstone-bound controller are fakes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  resolveConfiguration,
  denoisedImageId,
  parseDenoisedImageId,
  parseRunId,
  runId,
  strengthLabel,
  type DenoiseController,
  DenoiseService,
  COMMANDS,
  EVALUATORS,
  type OhifServices,
  type ToolbarButton,
  strengthButtonId,
  StrengthControl,
} from '@mammo-denoise/ohif-extension-denoise/internals';

const card = (id: string, io: Record<string, unknown> = {}) => ({
  schema: 'mammo-denoise/model-card@1',
  id,
  version: '1.0.0',
  name: `${id} model`,
  onnx: { file: `${id}.onnx`, sha256: 'a'.repeat(64), bytes: 1, opset: 17 },
  io: {
    inputName: 'input',
    outputName: 'output',
    layout: 'NCHW',
    dtype: 'float32',
    sizeMultiple: 2,
    receptiveFieldRadius: 20,
    inputRange: [0, 1],
    outputClipped: false,
    normalization: 'x',
    ...io,
  },
  architecture: {},
  training: {},
  evaluation: {},
  intendedUse: '',
  limitations: [],
  licence: '',
  citation: '',
});
const files: Record<string, unknown> = {
  '/m/index.json': {
    default: 'film',
    defaults: { film8bit: 'film', digital: 'ffdm' },
    models: [
      { id: 'film', onnx: 'film.onnx', card: 'film.json' },
      { id: 'ffdm', onnx: 'ffdm.onnx', card: 'ffdm.json' },
    ],
  },
  '/m/film.json': card('film'),
  '/m/ffdm.json': card('ffdm', { noiseMapInputName: 'noise_sigma' }),
};
const server = createServer((req, res) => {
  const body = files[req.url ?? ''];
  res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'application/json' });
  res.end(body === undefined ? '' : JSON.stringify(body));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => server.close());

async function readyService(): Promise<DenoiseService> {
  const service = new DenoiseService(
    resolveConfiguration({ modelIndexUrl: `${base}/m/index.json` }, `${base}/`),
    () => {
      throw new Error('no model runs in this test');
    },
  );
  await service.init();
  return service;
}

test(
  'run ids: a model with a strength is "<id>@<strength>", ' + 'one without is its id, so MIAS image ids are unchanged',
  () => {
    assert.equal(runId('mias-dae-residual'), 'mias-dae-residual');
    assert.equal(runId('ffdm-nlf', 1.25), 'ffdm-nlf@1.25');
    assert.deepEqual(parseRunId('ffdm-nlf@1.25'), { modelId: 'ffdm-nlf', strength: 1.25 });
    assert.deepEqual(parseRunId('mias-dae-residual'), { modelId: 'mias-dae-residual' });
    assert.throws(() => runId('a@b'), /must not contain ":" or "@"/);
    assert.equal(
      denoisedImageId(runId('mias-dae-residual'), 'wadouri:http://x/a.dcm'),
      'denoised:mias-dae-residual:wadouri:http://x/a.dcm',
    );
    const id = denoisedImageId(runId('ffdm-nlf', 0.75), 'wadouri:http://x/a.dcm');
    assert.notEqual(
      id,
      denoisedImageId(runId('ffdm-nlf', 1), 'wadouri:http://x/a.dcm'),
      'each strength has its own cache entry',
    );
    assert.deepEqual(parseDenoisedImageId(id), { modelId: 'ffdm-nlf@0.75', sourceImageId: 'wadouri:http://x/a.dcm' });
    assert.equal(strengthLabel('ffdm-nlf@1.25'), ' · strength 1.25x');
    assert.equal(strengthLabel('mias-dae-residual'), '');
  },
);

test(
  "Denoise uses the picked model, else each image's kind default; " +
    'run ids carry the current strength for noise-map models only',
  async () => {
    const service = await readyService();
    assert.equal(service.modelFor({ bitsStored: 8 })?.id, 'film');
    assert.equal(service.modelFor({ bitsStored: 12 })?.id, 'ffdm');
    assert.equal(service.modelFor(null)?.id, 'film', 'no image in view: the plain default');
    assert.equal(service.runIdOf('ffdm'), 'ffdm@1');
    assert.equal(service.runIdOf('film'), 'film');
    service.setStrength(1.25);
    assert.equal(service.runIdOf('ffdm'), 'ffdm@1.25');
    assert.equal(service.runIdOf('ffdm@0.5'), 'ffdm@1.25');
    assert.equal(service.model('ffdm@1.25')?.id, 'ffdm');
    assert.throws(() => service.setStrength(5), /strength must be a number from 0\.25 to 2/);
    service.selectModel('film');
    assert.equal(service.modelFor({ bitsStored: 12 })?.id, 'film', 'a picked model serves every image');
  },
);

test(
  'the strength control: five entries, the current one active, ' + 'enabled only where the model takes a noise map',
  async () => {
    const service = await readyService();
    const buttons = new Map<string, ToolbarButton>();
    const sections = new Map<string, string[]>();
    const services = {
      toolbarService: {
        register: (list: ToolbarButton[]) => list.forEach((b) => buttons.set(b.id, b)),
        updateSection: (s: string, ids: string[]) => sections.set(s, ids),
        refreshToolbarState: () => undefined,
      },
      viewportGridService: { getState: () => ({ viewports: new Map() }) },
    } as unknown as OhifServices;
    let shown: string | null = 'ffdm@1';
    const controller = {
      viewport: () => ({ getCurrentImageId: () => 'x' }),
      modelShown: () => shown,
    } as unknown as DenoiseController;
    const control = new StrengthControl(services, service, controller);
    control.attach('Strength');
    assert.deepEqual(sections.get('Strength'), [0.5, 0.75, 1, 1.25, 1.5].map(strengthButtonId));
    assert.deepEqual(buttons.get(strengthButtonId(1.25))?.props.commands, [
      { commandName: COMMANDS.selectDenoiseStrength, commandOptions: { strength: 1.25 } },
    ]);
    assert.deepEqual(buttons.get(strengthButtonId(1.25))?.props.evaluate, {
      name: EVALUATORS.strength,
      strength: 1.25,
    });
    const evaluate = control.evaluator().evaluate;
    assert.deepEqual(
      { ...evaluate({ strength: 1 }), tooltip: undefined },
      { disabled: false, isActive: true, label: '1x (estimated noise)', tooltip: undefined },
    );
    assert.equal(evaluate({ strength: 1.25 }).isActive, false);
    await control.select(1.25);
    assert.equal(evaluate({ strength: 1.25 }).isActive, true);
    assert.equal(evaluate({ strength: 1.25 }).label, '1.25x');
    shown = 'film';
    assert.equal(evaluate({ strength: 1.25 }).disabled, true, 'the MIAS-style model has no strength');
    assert.match(evaluate({ strength: 1.25 }).tooltip, /only models that take a noise map/);
  },
);
