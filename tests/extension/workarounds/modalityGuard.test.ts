// Guards the OHIF 3.13.2 bug where a study whose instances lack Modality
// never opens over DICOMweb: QIDO-RS gives ModalitiesInStudy without a Value,
// @ohif/core's getModalities reads `.Value.length` of undefined, the study
// search throws and the viewer goes to "study not found". The data source is
// a stand-in (OHIF's is not importable here); the stand-in's processResults
// is OHIF 3.13.2's getModalities logic, so the failure is the real one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  guardDataSource,
  installModalityGuard,
  normaliseQidoModalities,
  type QidoStudy,
} from '@mammo-denoise/ohif-extension-denoise/internals';

/** OHIF 3.13.2 core/src/DICOMWeb/getModalities.js, as bundled (the code that throws). */
function stockGetModalities(
  Modality: { vr?: string; Value?: string[] } | undefined,
  ModalitiesInStudy: { vr?: string; Value?: string[] } | undefined,
) {
  if (!Modality && !ModalitiesInStudy) return {};
  const modalities = Modality || { vr: 'CS', Value: [] as string[] };
  modalities.Value = modalities.Value || [];
  if (ModalitiesInStudy) {
    if (modalities.vr && modalities.vr === ModalitiesInStudy.vr) {
      for (let i = 0; i < (ModalitiesInStudy.Value as string[]).length; i++) {
        const value = (ModalitiesInStudy.Value as string[])[i] as string;
        if (modalities.Value.indexOf(value) === -1) modalities.Value.push(value);
      }
    } else return ModalitiesInStudy;
  }
  return modalities;
}

const processResults = (studies: QidoStudy[]) =>
  studies.map((s) => ({
    studyInstanceUid: (s['0020000D']?.Value as string[] | undefined)?.[0],
    modalities: (
      (stockGetModalities(s['00080060'] as never, s['00080061'] as never) as { Value?: string[] }).Value ?? []
    ).join('\\'),
  }));

const UID = '2.25.1234';
const withoutModality: QidoStudy[] = [{ '0020000D': { vr: 'UI', Value: [UID] }, '00080061': { vr: 'CS' } }];

/** OHIF's DICOMweb source has no configuration until initialize() runs, after the extensions are registered. */
function dataSource(qido: QidoStudy[], initialised = { done: true }) {
  return {
    query: {
      studies: {
        search: async (_params?: Record<string, unknown>) =>
          processResults(JSON.parse(JSON.stringify(qido)) as QidoStudy[]),
        mapParams: (params: Record<string, unknown>) => ({
          StudyInstanceUID: params.studyInstanceUid,
          limit: 101,
          offset: 0,
          includefield: '00081030,00080060',
        }),
        processResults,
      },
    },
    getConfig: () => (initialised.done ? { qidoRoot: 'http://pacs.test/dicom-web/' } : undefined),
  };
}

test('the stock study search throws on ModalitiesInStudy without a value (the bug this guards)', async () => {
  await assert.rejects(dataSource(withoutModality).query.studies.search(), TypeError);
});

test('normaliseQidoModalities gives missing values an empty list and leaves present ones', () => {
  const out = normaliseQidoModalities([
    ...withoutModality,
    { '00080061': { vr: 'CS', Value: ['MG'] }, '00080060': { vr: 'CS' } },
  ]);
  assert.deepEqual(out[0]?.['00080061'], { vr: 'CS', Value: [] });
  assert.deepEqual(out[1]?.['00080061'], { vr: 'CS', Value: ['MG'] });
  assert.deepEqual(out[1]?.['00080060'], { vr: 'CS', Value: [] });
  assert.doesNotThrow(() => processResults(out));
});

test(
  'a guarded search repeats a failing QIDO-RS query ' + "with the user's authorization and returns the study",
  async () => {
    const source = dataSource(withoutModality);
    const requests: Array<{ url: string; headers: Record<string, string> }> = [];
    const warnings: string[] = [];
    assert.equal(
      guardDataSource(source, {
        fetch: (async (url: string, init?: { headers?: Record<string, string> }) => {
          requests.push({ url, headers: init?.headers ?? {} });
          return new Response(JSON.stringify(withoutModality), { status: 200 });
        }) as unknown as typeof fetch,
        authorizationHeader: () => ({ Authorization: 'Bearer t' }),
        warn: (m) => warnings.push(m),
      }),
      true,
    );
    const studies = await source.query.studies.search({ studyInstanceUid: UID });
    assert.deepEqual(studies, [{ studyInstanceUid: UID, modalities: '' }]);
    assert.equal(requests.length, 1);
    assert.equal(
      requests[0]?.url,
      // A literal comma: Orthanc 1.10 reads %2C as part of one tag and leaves the study description out.
      `http://pacs.test/dicom-web/studies?StudyInstanceUID=${UID}&limit=101&offset=0&includefield=00081030,00080060`,
    );
    assert.deepEqual(requests[0]?.headers, { Accept: 'application/dicom+json', Authorization: 'Bearer t' });
    assert.match(warnings[0] ?? '', /getModalities/);
  },
);

test('a search that works is left to the stock code, and a failing retry reports the original error', async () => {
  const good = dataSource([{ '0020000D': { vr: 'UI', Value: [UID] }, '00080061': { vr: 'CS', Value: ['MG'] } }]);
  let fetched = 0;
  const options = {
    fetch: (async () => {
      fetched += 1;
      return new Response('', { status: 500 });
    }) as unknown as typeof fetch,
    authorizationHeader: () => undefined,
    warn: () => undefined,
  };
  guardDataSource(good, options);
  assert.deepEqual(await good.query.studies.search({ studyInstanceUid: UID }), [
    { studyInstanceUid: UID, modalities: 'MG' },
  ]);
  assert.equal(fetched, 0);
  const bad = dataSource(withoutModality);
  guardDataSource(bad, options);
  await assert.rejects(bad.query.studies.search({ studyInstanceUid: UID }), TypeError);
  assert.equal(fetched, 1);
});

test(
  'installModalityGuard guards sources before OHIF initialises them, ' +
    'once, and sources created later; others are never retried',
  async () => {
    const initialised = { done: false };
    const dicomweb = dataSource(withoutModality, initialised);
    const stockSearch = dicomweb.query.studies.search;
    let jsonFetches = 0;
    const dicomjson = {
      query: {
        studies: {
          search: async (): Promise<unknown[]> => {
            throw new Error('no study list loaded');
          },
          mapParams: () => ({}),
          processResults: () => [],
        },
      },
      getConfig: () => ({}),
    };
    let onChange: (() => void) | null = null;
    const manager = {
      dataSourceMap: { dicomweb: [dicomweb], dicomjson: [dicomjson] } as Record<string, unknown[]>,
      EVENTS: { ACTIVE_DATA_SOURCE_CHANGED: 'changed' },
      subscribe: (_event: string, callback: () => void) => {
        onChange = callback;
      },
    };
    const options = {
      fetch: (async () => {
        jsonFetches += 1;
        return new Response(JSON.stringify(withoutModality), { status: 200 });
      }) as unknown as typeof fetch,
      authorizationHeader: () => undefined,
      warn: () => undefined,
    };
    installModalityGuard(manager, options);
    assert.notEqual(dicomweb.query.studies.search, stockSearch);
    initialised.done = true;
    assert.deepEqual(await dicomweb.query.studies.search({ studyInstanceUid: UID }), [
      { studyInstanceUid: UID, modalities: '' },
    ]);
    await assert.rejects(dicomjson.query.studies.search(), /no study list loaded/);
    assert.equal(jsonFetches, 1, 'only the DICOMweb source was retried');
    const guarded = dicomweb.query.studies.search;
    assert.equal(guardDataSource(dicomweb, options), false, 'never wrapped twice');
    const recreated = dataSource(withoutModality);
    const recreatedSearch = recreated.query.studies.search;
    manager.dataSourceMap.dicomweb = [recreated];
    (onChange as unknown as () => void)();
    assert.notEqual(recreated.query.studies.search, recreatedSearch);
    assert.equal(dicomweb.query.studies.search, guarded);
  },
);
