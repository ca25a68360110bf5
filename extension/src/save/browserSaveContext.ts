import { downloadInBrowser } from './downloadInBrowser';
import { askSaveAnotherCopy } from './resaveQuestion';
import type { OhifDataSource, SaveContext } from './saveDenoised';

/**
 * Save's context in the viewer: OHIF's active data source, the
 * signed-in user's header, a viewport dialog and a browser download.
 */

/** The slices of OHIF's extension manager and services the browser context reads. */
export interface ExtensionManagerLike {
  getActiveDataSource?(): OhifDataSource[] | undefined;
}
interface UserAuthentication {
  userAuthenticationService?: { getAuthorizationHeader?(): { Authorization?: string } | undefined };
}

export function browserSaveContext(
  parts: Pick<SaveContext, 'config' | 'service' | 'controller' | 'services'>,
  // OHIF's ExtensionManager, typed here only by the one method Save calls.
  extensionManager: unknown,
): SaveContext {
  const manager = extensionManager as ExtensionManagerLike | undefined;
  return {
    ...parts,
    activeDataSource: () => manager?.getActiveDataSource?.()?.[0] ?? null,
    userAuthorization: () =>
      (parts.services as unknown as UserAuthentication).userAuthenticationService?.getAuthorizationHeader?.()
        ?.Authorization ?? null,
    confirm: (message, viewportId) => askSaveAnotherCopy(parts.services, viewportId, message),
    download: downloadInBrowser,
  };
}
