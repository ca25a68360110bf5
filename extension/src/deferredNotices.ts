import type { OhifServices } from './ohifTypes';

type Notification = Parameters<OhifServices['uiNotificationService']['show']>[0];

/**
 * OHIF mounts its notification UI after extensions pre-register, and a show()
 * before that is dropped ("NOT IMPLEMENTED" in the console). Messages raised
 * that early (a bad configuration, an unreachable model index) wait here until
 * the first mode entry, when the UI exists; later ones go straight through.
 */
export class DeferredNotices {
  private uiReady = false;
  private readonly pending: Notification[] = [];

  constructor(private readonly notifications: OhifServices['uiNotificationService']) {}

  show(notification: Notification): void {
    if (this.uiReady) this.notifications.show(notification);
    else this.pending.push(notification);
  }

  /** Called from the extension's onModeEnter. */
  flush(): void {
    this.uiReady = true;
    for (const notification of this.pending.splice(0)) this.notifications.show(notification);
  }
}
