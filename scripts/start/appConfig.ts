/**
 * The app config for the prebuilt OHIF served by `npm start`: our extension
 * and mode by URL, with the extension's configuration, and a data source.
 */
export interface AppConfigOptions {
  readonly extensionUrl: string;
  readonly modeUrl: string;
  readonly extensionConfiguration: Record<string, unknown>;
  readonly dataSources: readonly unknown[];
  readonly defaultDataSourceName: string;
}

export function renderAppConfig(options: AppConfigOptions): string {
  const config = {
    name: 'mammo-denoise',
    routerBasename: '/',
    extensions: [options.extensionUrl],
    mammoDenoise: options.extensionConfiguration,
    modes: [options.modeUrl],
    modesConfiguration: { denoise: { extensionUrl: options.extensionUrl } },
    showStudyList: true,
    maxNumberOfWebWorkers: 2,
    showWarningMessageForCrossOrigin: false,
    showCPUFallbackMessage: true,
    showLoadingIndicator: true,
    strictZSpacingForVolumeViewport: true,
    investigationalUseDialog: { option: 'never' },
    defaultDataSourceName: options.defaultDataSourceName,
    dataSources: options.dataSources,
  };
  // httpErrorHandler is a function, so it is written as code after the JSON.
  return `window.config = ${JSON.stringify(config, null, 2)};
// Required by OHIF 3.13: the cornerstone extension calls it on image load errors.
window.config.httpErrorHandler = (error) => console.warn('[mammo-denoise] HTTP error', error && error.status, error);
// Same-origin DICOMweb roots are written as paths; OHIF's data source wants absolute URLs.
for (const source of window.config.dataSources) {
  for (const key of ['qidoRoot', 'wadoRoot', 'wadoUriRoot']) {
    const root = source.configuration && source.configuration[key];
    if (typeof root === 'string' && root.startsWith('/')) source.configuration[key] = window.location.origin + root;
  }
}
`;
}

export const dicomJsonDataSource = {
  namespace: '@ohif/extension-default.dataSourcesModule.dicomjson',
  sourceName: 'dicomjson',
  configuration: { friendlyName: 'Local DICOM files', name: 'json' },
};

/**
 * OHIF 3.13.2's DICOMweb data source on a same-origin path (the local server
 * proxies it to the PACS). `supportsStow` is the name 3.13.2 reads for a
 * writable source (it falls back to wadoRoot); Save stores there with STOW-RS.
 */
export function dicomWebDataSource(path: string, friendlyName = 'PACS (DICOMweb)') {
  const root = path.replace(/\/+$/, '');
  return {
    namespace: '@ohif/extension-default.dataSourcesModule.dicomweb',
    sourceName: 'dicomweb',
    configuration: {
      friendlyName,
      name: 'dicomweb',
      qidoRoot: root,
      wadoRoot: root,
      wadoUriRoot: root,
      qidoSupportsIncludeField: false,
      supportsReject: false,
      supportsStow: true,
      imageRendering: 'wadors',
      thumbnailRendering: 'wadors',
      enableStudyLazyLoad: true,
      supportsFuzzyMatching: false,
      supportsWildcard: true,
      omitQuotationForMultipartRequest: true,
      bulkDataURI: { enabled: true },
    },
  };
}
