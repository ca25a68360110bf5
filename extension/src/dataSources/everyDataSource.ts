/** OHIF 3.13's extension manager, as far as its data sources go (OHIF ships no types; checked at run time). */
interface DataSourceRegistry {
  dataSourceMap?: Record<string, unknown[] | undefined>;
  dataSourceDefs?: Record<string, { namespace?: string } | undefined>;
  subscribe?: (event: string, callback: () => void) => unknown;
  EVENTS?: Record<string, string>;
}

/**
 * Calls `apply` on every data source OHIF's extension manager holds now, and
 * again on each whenever the active one changes (OHIF recreates a source when
 * its configuration changes), with the namespace of the source's definition.
 * `apply` must tolerate a source it has seen before.
 */
export function onEveryDataSource(
  extensionManager: unknown,
  apply: (source: unknown, namespace: string | undefined) => void,
): void {
  const registry = extensionManager as DataSourceRegistry;
  const applyAll = () => {
    for (const [name, sources] of Object.entries(registry.dataSourceMap ?? {}))
      for (const source of sources ?? []) apply(source, registry.dataSourceDefs?.[name]?.namespace);
  };
  applyAll();
  const changed = registry.EVENTS?.ACTIVE_DATA_SOURCE_CHANGED;
  if (changed && typeof registry.subscribe === 'function') registry.subscribe.call(registry, changed, applyAll);
}
