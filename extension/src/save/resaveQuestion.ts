import type { OhifServices } from '../ohifTypes';

/**
 * Asks in the viewport whether to save another copy of an image already saved,
 * through OHIF's viewport dialog (a browser confirm() would block the page and
 * look foreign to the viewer). Resolves true for "Save another copy" or Enter;
 * false for "Keep the existing one", Escape or a click outside.
 */
export function askSaveAnotherCopy(
  services: Pick<OhifServices, 'uiViewportDialogService'>,
  viewportId: string,
  message: string,
): Promise<boolean> {
  const dialogs = services.uiViewportDialogService;
  return new Promise((resolve) => {
    const answer = (yes: boolean) => {
      dialogs.hide();
      resolve(yes);
    };
    dialogs.show<boolean>({
      viewportId,
      id: 'mammo-denoise-resave',
      type: 'warning',
      message,
      actions: [
        { id: 'mammo-denoise-keep', text: 'Keep the existing one', value: false, type: 'secondary' },
        { id: 'mammo-denoise-save-copy', text: 'Save another copy', value: true, type: 'primary' },
      ],
      onSubmit: answer,
      onOutsideClick: () => answer(false),
      onKeyPress: (event) => {
        if (event.key === 'Enter') answer(true);
        else if (event.key === 'Escape') answer(false);
      },
    });
  });
}
