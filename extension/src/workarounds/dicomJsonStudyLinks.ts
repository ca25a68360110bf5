/**
 * WORKAROUND. Upstream issue: OHIF/Viewers#3937 (open: a multi-study dicomjson list always opens its
 *   earliest study, not the one wanted) for the study UIDs. For the worklist dropping `url=`: no upstream
 *   issue found (searched 2026-12-03).
 * Delete when: the dicomjson data source filters by StudyInstanceUIDs and the worklist keeps url= (re-
 *   check on each OHIF upgrade).
 *
 * Upstream bug workaround (OHIF 3.13.2, @ohif/extension-default
 * `DicomJSONDataSource/index.js`): the static "dicomjson" data source answers
 * getStudyInstanceUIDs with every study of the list named by `url=`, ignoring
 * the StudyInstanceUIDs the link asks for, so with a list of several studies
 * every study link opened all of them ("Multiple Patients") and showed another
 * patient's image. And the worklist's mode links keep only a few query keys
 * (`preserveQueryParameters`), not `url=`, so a study opened from the
 * worklist found no list at all. Each dicomjson source is wrapped: its study
 * UIDs are narrowed to those the link names, and a link without `url=` uses
 * the list this tab opened last. Upstream: OHIF/Viewers#3937 ("Ohif +
 * DICOMJSON + multiple studies": a multi-study list opens another study than
 * the one asked for; open at 3.13.2). Delete this file, and its install in
 * ../index.ts, once OHIF's dicomjson source filters by StudyInstanceUIDs and
 * the worklist keeps `url=` (tests/e2e/studyLinks.test.ts then passes without it).
 */
import { onEveryDataSource } from '../dataSources/everyDataSource';

export const DICOMJSON_NAMESPACE = '@ohif/extension-default.dataSourcesModule.dicomjson';
const WRAPPED = Symbol.for('mammo-denoise.dicomJsonStudyLinks');
const STORAGE_KEY = 'mammo-denoise.dicomjson.url';

interface RouteArgs {
  params?: unknown;
  query: URLSearchParams;
  url?: string;
}

export interface DicomJsonSource {
  initialize(args: RouteArgs): Promise<unknown>;
  getStudyInstanceUIDs(args: RouteArgs): string[] | undefined;
  [WRAPPED]?: true;
}

/** Where the last study list URL is kept (sessionStorage in the browser: per tab, survives a reload). */
export interface ListMemory {
  get(): string | null;
  set(url: string): void;
}

export function sessionListMemory(): ListMemory {
  let inMemory: string | null = null;
  const storage = (): Storage | null => {
    try {
      return globalThis.sessionStorage ?? null;
    } catch {
      return null; // storage blocked (e.g. sandboxed frame): this page load only
    }
  };
  return {
    get: () => storage()?.getItem(STORAGE_KEY) ?? inMemory,
    set: (url) => {
      inMemory = url;
      storage()?.setItem(STORAGE_KEY, url);
    },
  };
}

/** The study UIDs a link names: repeated or comma-separated, in OHIF's two spellings. */
export function requestedStudyUids(query: URLSearchParams): string[] {
  return [...query.getAll('StudyInstanceUIDs'), ...query.getAll('studyInstanceUIDs')]
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** The query with `url=` filled in from memory when the link has none. */
function withListUrl(query: URLSearchParams, memory: ListMemory): URLSearchParams {
  if (query.get('url')) return query;
  const remembered = memory.get();
  if (!remembered) return query;
  const filled = new URLSearchParams(query);
  filled.set('url', remembered);
  return filled;
}

/** Wraps one dicomjson data source (a no-op when already wrapped). */
export function fixDicomJsonStudyLinks(source: DicomJsonSource, memory: ListMemory): boolean {
  if (source[WRAPPED] || typeof source.initialize !== 'function' || typeof source.getStudyInstanceUIDs !== 'function')
    return false;
  const initialize = source.initialize.bind(source);
  const getStudyInstanceUIDs = source.getStudyInstanceUIDs.bind(source);
  source.initialize = (args) => {
    const url = args.url ?? args.query.get('url');
    if (url) {
      memory.set(url);
      return initialize(args);
    }
    const remembered = memory.get();
    return initialize(remembered ? { ...args, url: remembered } : args);
  };
  source.getStudyInstanceUIDs = (args) => {
    const listed = getStudyInstanceUIDs({ ...args, query: withListUrl(args.query, memory) });
    const requested = requestedStudyUids(args.query);
    if (!listed || requested.length === 0) return listed;
    const opened = listed.filter((uid) => requested.includes(uid));
    // A study the list does not hold is passed on as asked, so OHIF says it was not found.
    return opened.length > 0 ? opened : requested;
  };
  source[WRAPPED] = true;
  return true;
}

/**
 * Wraps every dicomjson data source OHIF's extension manager holds now and
 * any it creates later.
 */
export function installDicomJsonStudyLinks(extensionManager: unknown, memory: ListMemory = sessionListMemory()): void {
  onEveryDataSource(extensionManager, (source, namespace) => {
    if (namespace === DICOMJSON_NAMESPACE) fixDicomJsonStudyLinks(source as DicomJsonSource, memory);
  });
}
