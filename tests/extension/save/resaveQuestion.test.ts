// The re-save question goes through OHIF's viewport dialog: each way of
// answering resolves once, to the right answer, and closes the dialog.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { askSaveAnotherCopy, type ViewportDialog } from '@mammo-denoise/ohif-extension-denoise/internals';

/** A stand-in for OHIF's uiViewportDialogService that records what was shown and hidden. */
function dialogService() {
  const shown: Array<ViewportDialog<boolean>> = [];
  let hidden = 0;
  return {
    shown,
    hidden: () => hidden,
    service: {
      uiViewportDialogService: {
        show: <V>(dialog: ViewportDialog<V>) => {
          shown.push(dialog as unknown as ViewportDialog<boolean>);
        },
        hide: () => {
          hidden += 1;
        },
      },
    },
  };
}

const ANSWERS: Array<[string, (d: ViewportDialog<boolean>) => void, boolean]> = [
  ['Save another copy', (d) => d.onSubmit(d.actions.find((a) => a.text === 'Save another copy')!.value), true],
  ['Keep the existing one', (d) => d.onSubmit(d.actions.find((a) => a.text === 'Keep the existing one')!.value), false],
  ['Enter', (d) => d.onKeyPress!({ key: 'Enter' } as KeyboardEvent), true],
  ['Escape', (d) => d.onKeyPress!({ key: 'Escape' } as KeyboardEvent), false],
  ['a click outside', (d) => d.onOutsideClick!(), false],
];

for (const [how, respond, expected] of ANSWERS) {
  test(`the re-save question answered by ${how} resolves ${expected} and closes the dialog`, async () => {
    const dialogs = dialogService();
    const answer = askSaveAnotherCopy(dialogs.service, 'viewport-2', 'Already saved. Save another copy?');
    const [dialog] = dialogs.shown;
    assert.ok(dialog);
    assert.equal(dialog.viewportId, 'viewport-2');
    assert.equal(dialog.message, 'Already saved. Save another copy?');
    respond(dialog);
    assert.equal(await answer, expected);
    assert.equal(dialogs.hidden(), 1);
  });
}

test('a key other than Enter or Escape leaves the question open', () => {
  const dialogs = dialogService();
  void askSaveAnotherCopy(dialogs.service, 'v', 'm');
  dialogs.shown[0]!.onKeyPress!({ key: 'a' } as KeyboardEvent);
  assert.equal(dialogs.hidden(), 0);
});
