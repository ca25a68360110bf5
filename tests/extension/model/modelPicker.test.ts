// The model picker must list the configured models in the split button next
// to Denoise, the default first, whether the catalog loads before or after the
// mode lays out the toolbar; its entries must never become "active" (the split
// button's primary is its first active entry, and that must stay Denoise).
// OHIF's toolbar service and the Cornerstone-bound controller cannot run in
// Node, so they are small fakes; the catalog and the service are real.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  resolveConfiguration,
  type CompareLayout,
  type DenoiseController,
  DenoiseService,
  getToolbarModule,
  COMMANDS,
  EVALUATORS,
  modelButtonId,
  ModelPicker,
  type OhifServices,
  type ToolbarButton,
} from '@mammo-denoise/ohif-extension-denoise/internals';

const card = (id: string, name: string) => ({
  schema: 'mammo-denoise/model-card@1',
  id,
  version: '1.0.0',
  name,
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
    default: 'residual',
    models: [
      { id: 'paper', onnx: 'paper.onnx', card: 'paper.json' },
      { id: 'residual', onnx: 'residual.onnx', card: 'residual.json' },
    ],
  },
  '/m/paper.json': card('paper', 'Paper model'),
  '/m/residual.json': card('residual', 'Residual model'),
};
const server = createServer((req, res) => {
  const body = files[req.url ?? ''];
  res.writeHead(body === undefined ? 404 : 200, { 'Content-Type': 'application/json' });
  res.end(body === undefined ? '' : JSON.stringify(body));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => server.close());

/** OHIF's toolbar service, reduced to what the picker calls; updateSection appends like 3.13's. */
function fakeToolbar() {
  const buttons = new Map<string, ToolbarButton>();
  const sections = new Map<string, string[]>();
  const toolbarService: OhifServices['toolbarService'] = {
    register: (list) => list.forEach((b) => buttons.set(b.id, b)),
    updateSection: (section, ids) =>
      sections.set(section, [
        ...(sections.get(section) ?? []),
        ...ids.filter((id) => !(sections.get(section) ?? []).includes(id)),
      ]),
    refreshToolbarState: () => undefined,
  };
  return { buttons, sections, services: { toolbarService } as unknown as OhifServices };
}

const newService = () =>
  new DenoiseService(resolveConfiguration({ modelIndexUrl: `${base}/m/index.json` }, `${base}/`), () => {
    throw new Error('no model runs in this test');
  });

test(
  'models are added after Denoise, default first, ' + 'when the catalog loads after the mode attached the picker',
  async () => {
    const { buttons, sections, services } = fakeToolbar();
    const service = newService();
    const picker = new ModelPicker(services, service);
    sections.set('Section', ['MammoDenoise']); // what the mode lays out itself
    picker.attach('Section', 'MammoDenoise');
    assert.deepEqual(sections.get('Section'), ['MammoDenoise'], 'no models before the catalog loads');
    await service.init();
    assert.deepEqual(sections.get('Section'), ['MammoDenoise', modelButtonId('residual'), modelButtonId('paper')]);
    const paper = buttons.get(modelButtonId('paper'));
    assert.deepEqual(paper?.props.commands, [
      { commandName: COMMANDS.selectDenoiseModel, commandOptions: { modelId: 'paper' } },
    ]);
    assert.deepEqual(paper?.props.evaluate, { name: EVALUATORS.model, modelId: 'paper' });
  },
);

test('and the same when the catalog was loaded before the mode entered', async () => {
  const { sections, services } = fakeToolbar();
  const service = newService();
  const picker = new ModelPicker(services, service);
  await service.init();
  assert.equal(sections.size, 0, 'nothing is laid out before the mode asks');
  picker.attach('Section', 'MammoDenoise');
  assert.deepEqual(sections.get('Section'), ['MammoDenoise', modelButtonId('residual'), modelButtonId('paper')]);
});

test(
  'entries tick the selected model, mark the default, ' +
    'are never active; the Denoise tooltip names the model and the keys',
  async () => {
    const service = newService();
    await service.init();
    // The evaluators only ask the controller and the layout what a viewport shows (Cornerstone-bound).
    const controller = { viewport: () => null, modelShown: () => null } as unknown as DenoiseController;
    const compare = { isActive: () => true, differenceShown: () => false } as unknown as CompareLayout;
    const evaluators = new Map(
      getToolbarModule(controller, service, compare).map((e) => [
        e.name,
        e.evaluate as (args: Record<string, unknown>) => Record<string, unknown>,
      ]),
    );
    const entry = (modelId: string) => evaluators.get(EVALUATORS.model)!({ modelId });
    assert.deepEqual(entry('residual'), {
      disabled: false,
      isActive: false,
      label: '✓ Residual model 1.0.0 (default)',
    });
    assert.deepEqual(entry('paper'), { disabled: false, isActive: false, label: 'Paper model 1.0.0' });
    service.selectModel('paper');
    assert.equal(entry('paper').label, '✓ Paper model 1.0.0');
    assert.equal(entry('residual').label, 'Residual model 1.0.0 (default)');
    assert.equal(entry('gone').disabled, true);
    const denoise = evaluators.get(EVALUATORS.denoise)!({});
    assert.match(String(denoise.tooltip), /^Denoise \(D\): .*Paper model 1\.0\.0.*M: choose the model/);
    assert.deepEqual(evaluators.get(EVALUATORS.difference)!({}), { disabled: false, isActive: false });
  },
);
