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
`;
}

export const dicomJsonDataSource = {
  namespace: '@ohif/extension-default.dataSourcesModule.dicomjson',
  sourceName: 'dicomjson',
  configuration: { friendlyName: 'Local DICOM files', name: 'json' },
};
