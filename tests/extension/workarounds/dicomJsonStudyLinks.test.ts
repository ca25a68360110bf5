// Guards issue 15 ("study links open the wrong study"): OHIF 3.13.2's dicomjson
// data source opened every study of its list whatever StudyInstanceUIDs a link
// named, and a study opened from the worklist lost the list's url=.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DICOMJSON_NAMESPACE,
  fixDicomJsonStudyLinks,
  installDicomJsonStudyLinks,
  type DicomJsonSource,
  type ListMemory,
} from '@mammo-denoise/ohif-extension-denoise/internals';

/** A stand-in with the stock source's behaviour: every study of the list at url=, nothing without one. */
function stockSource(lists: Record<string, string[]>) {
  const initialized: string[] = [];
  const source: DicomJsonSource = {
    initialize: async ({ query, url }) => {
      const used = url ?? query.get('url');
      if (!used) throw new Error('no url');
      initialized.push(used);
    },
    getStudyInstanceUIDs: ({ query }) => lists[query.get('url') ?? ''],
  };
  return { source, initialized };
}

const memory = (): ListMemory => {
  let value: string | null = null;
  return {
    get: () => value,
    set: (url) => {
      value = url;
    },
  };
};

const lists = { '/studies/index.json': ['1.1', '1.2', '1.3', '1.4'], '/studies/1.3.json': ['1.3'] };

test('a link naming one study of a list of four opens that study only', async () => {
  const { source } = stockSource(lists);
  fixDicomJsonStudyLinks(source, memory());
  const query = new URLSearchParams('StudyInstanceUIDs=1.3&url=/studies/index.json');
  await source.initialize({ query });
  assert.deepEqual(source.getStudyInstanceUIDs({ query }), ['1.3']);
  assert.deepEqual(
    source.getStudyInstanceUIDs({ query: new URLSearchParams('StudyInstanceUIDs=1.2,1.4&url=/studies/index.json') }),
    ['1.2', '1.4'],
  );
});

test('a worklist link without url= uses the list this tab opened last', async () => {
  const { source, initialized } = stockSource(lists);
  fixDicomJsonStudyLinks(source, memory());
  await source.initialize({ query: new URLSearchParams('url=/studies/index.json&mrn=P2') });
  const query = new URLSearchParams('StudyInstanceUIDs=1.2');
  await source.initialize({ query });
  assert.deepEqual(initialized, ['/studies/index.json', '/studies/index.json']);
  assert.deepEqual(source.getStudyInstanceUIDs({ query }), ['1.2']);
});

test(
  'a study the list does not hold is passed on as asked ' + '(OHIF then says it was not found); no request, no filter',
  () => {
    const { source } = stockSource(lists);
    fixDicomJsonStudyLinks(source, memory());
    assert.deepEqual(
      source.getStudyInstanceUIDs({ query: new URLSearchParams('StudyInstanceUIDs=9.9&url=/studies/index.json') }),
      ['9.9'],
    );
    assert.deepEqual(
      source.getStudyInstanceUIDs({ query: new URLSearchParams('url=/studies/index.json') }),
      lists['/studies/index.json'],
    );
  },
);

test('only dicomjson sources are wrapped, once, also those created later', () => {
  let onChange: (() => void) | null = null;
  const json = stockSource(lists).source;
  const web = stockSource(lists).source;
  const webInitialize = web.initialize;
  const registry = {
    dataSourceMap: { dicomjson: [json], dicomweb: [web] } as Record<string, unknown[]>,
    dataSourceDefs: {
      dicomjson: { namespace: DICOMJSON_NAMESPACE },
      dicomweb: { namespace: '@ohif/extension-default.dataSourcesModule.dicomweb' },
    } as Record<string, { namespace: string }>,
    EVENTS: { ACTIVE_DATA_SOURCE_CHANGED: 'changed' },
    subscribe: (_event: string, callback: () => void) => {
      onChange = callback;
    },
  };
  installDicomJsonStudyLinks(registry, memory());
  assert.equal(web.initialize, webInitialize);
  const wrapped = json.initialize;
  assert.notEqual(wrapped, stockSource(lists).source.initialize);
  installDicomJsonStudyLinks(registry, memory());
  assert.equal(json.initialize, wrapped, 'not wrapped twice');
  const later = stockSource(lists).source;
  const laterInitialize = later.initialize;
  registry.dataSourceMap.dicomjson = [later];
  (onChange as unknown as () => void)();
  assert.notEqual(later.initialize, laterInitialize);
});
