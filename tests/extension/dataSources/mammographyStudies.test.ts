// Mammograms whose files leave out Modality: MG from the SOP class in the
// study list (DICOMweb) and before OHIF makes display sets. The data source
// and display set service are stand-ins with OHIF 3.13.2's shapes (OHIF's
// own are not importable here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fillMammographyModality,
  fillModalityBeforeDisplaySets,
  listMammographyStudies,
  type QidoAccess,
} from '@mammo-denoise/ohif-extension-denoise/internals';
import { DX_FOR_PRESENTATION, MG_FOR_PRESENTATION, modalityOf } from '@mammo-denoise/core';

const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2';

test('modalityOf: a named Modality wins; a mammography SOP class without one reads MG; nothing else is guessed', () => {
  assert.equal(modalityOf('CT', MG_FOR_PRESENTATION), 'CT');
  assert.equal(modalityOf(undefined, MG_FOR_PRESENTATION), 'MG');
  assert.equal(modalityOf('  ', '1.2.840.10008.5.1.4.1.1.13.1.3'), 'MG', 'breast tomosynthesis');
  assert.equal(modalityOf(undefined, DX_FOR_PRESENTATION), undefined);
  assert.equal(modalityOf(undefined, undefined), undefined);
});

test('fillMammographyModality fills only mammograms without Modality and counts them', () => {
  const instances: Array<{ Modality?: unknown; SOPClassUID?: unknown }> = [
    { SOPClassUID: MG_FOR_PRESENTATION },
    { Modality: 'OT', SOPClassUID: MG_FOR_PRESENTATION },
    { SOPClassUID: CT_IMAGE },
    { Modality: '', SOPClassUID: [MG_FOR_PRESENTATION] },
  ];
  assert.equal(fillMammographyModality(instances), 2);
  assert.deepEqual(
    instances.map((i) => i.Modality),
    ['MG', 'OT', undefined, 'MG'],
  );
});

test('fillModalityBeforeDisplaySets: OHIF sees MG for a series and a batch; the undo restores the service', () => {
  const seen: unknown[] = [];
  const service = {
    makeDisplaySets(input: unknown, options?: unknown) {
      seen.push(JSON.parse(JSON.stringify({ input, options })));
      return ['made'];
    },
  };
  const stock = service.makeDisplaySets;
  const undo = fillModalityBeforeDisplaySets(service);
  assert.deepEqual(service.makeDisplaySets([{ SOPClassUID: MG_FOR_PRESENTATION }], { madeInClient: true }), ['made']);
  service.makeDisplaySets([[{ SOPClassUID: MG_FOR_PRESENTATION }], [{ SOPClassUID: CT_IMAGE }]], { batch: true });
  assert.deepEqual(seen, [
    { input: [{ SOPClassUID: MG_FOR_PRESENTATION, Modality: 'MG' }], options: { madeInClient: true } },
    {
      input: [[{ SOPClassUID: MG_FOR_PRESENTATION, Modality: 'MG' }], [{ SOPClassUID: CT_IMAGE }]],
      options: { batch: true },
    },
  ]);
  undo();
  assert.equal(service.makeDisplaySets, stock);
});

const QIDO_ROOT = 'http://pacs.test/dicom-web';

/** A DICOMweb source as OHIF 3.13.2 has it: search returns processResults' objects; getConfig the qidoRoot. */
function source(studies: Array<{ studyInstanceUid: string; modalities: string }>, qidoRoot: string | undefined) {
  return {
    query: { studies: { search: async () => studies.map((s) => ({ ...s })) } },
    getConfig: () => ({ qidoRoot }),
  };
}

function access(answers: Record<string, { status: number; body: string }>) {
  const requests: Array<{ url: string; headers: Record<string, string> }> = [];
  const warnings: string[] = [];
  const qido: QidoAccess = {
    fetch: (async (url: string, init?: { headers?: Record<string, string> }) => {
      requests.push({ url, headers: init?.headers ?? {} });
      const uid = /studies\/([^/]+)\/instances/.exec(url)?.[1] ?? '';
      const answer = answers[decodeURIComponent(uid)] ?? { status: 404, body: '' };
      return new Response(answer.body, { status: answer.status });
    }) as typeof fetch,
    authorizationHeader: () => ({ Authorization: 'Bearer t' }),
    warn: (m) => warnings.push(m),
  };
  return { qido, requests, warnings };
}

const instanceOf = (sopClass: string) => JSON.stringify([{ '00080016': { vr: 'UI', Value: [sopClass] } }]);

test('the study list names a mammography study without Modality MG, asks only for studies without one', async () => {
  const ds = source(
    [
      { studyInstanceUid: '1.1', modalities: '' },
      { studyInstanceUid: '1.2', modalities: 'CT' },
      { studyInstanceUid: '1.3', modalities: '' },
    ],
    `${QIDO_ROOT}/`,
  );
  const { qido, requests, warnings } = access({
    '1.1': { status: 200, body: instanceOf(MG_FOR_PRESENTATION) },
    '1.3': { status: 200, body: instanceOf(CT_IMAGE) },
  });
  assert.equal(listMammographyStudies(ds, qido), true);
  assert.equal(listMammographyStudies(ds, qido), false, 'wrapped once');
  const listed = (await ds.query.studies.search()) as Array<{ modalities: string }>;
  assert.deepEqual(
    listed.map((s) => s.modalities),
    ['MG', 'CT', ''],
  );
  assert.deepEqual(requests.map((r) => r.url).sort(), [
    `${QIDO_ROOT}/studies/1.1/instances?limit=1&includefield=00080016`,
    `${QIDO_ROOT}/studies/1.3/instances?limit=1&includefield=00080016`,
  ]);
  assert.ok(
    requests.every((r) => r.headers.Authorization === 'Bearer t' && /dicom\+json/.test(r.headers.Accept ?? '')),
  );
  assert.deepEqual(warnings, []);
});

test('a failed lookup leaves the study as listed and says so once; no QIDO root, no lookup', async () => {
  const failing = source(
    [
      { studyInstanceUid: '2.1', modalities: '' },
      { studyInstanceUid: '2.2', modalities: '' },
    ],
    QIDO_ROOT,
  );
  const { qido, warnings } = access({ '2.2': { status: 200, body: 'not json' } });
  listMammographyStudies(failing, qido);
  const listed = (await failing.query.studies.search()) as Array<{ modalities: string }>;
  assert.deepEqual(
    listed.map((s) => s.modalities),
    ['', ''],
  );
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] as string, /^2 studies without Modality are listed without one \(.+\); they still open$/);

  const local = source([{ studyInstanceUid: '3.1', modalities: '' }], undefined);
  const quiet = access({});
  listMammographyStudies(local, quiet.qido);
  assert.deepEqual(await local.query.studies.search(), [{ studyInstanceUid: '3.1', modalities: '' }]);
  assert.equal(quiet.requests.length, 0);
});
