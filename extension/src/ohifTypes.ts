/**
 * The slice of OHIF 3.13's services this extension uses. The published OHIF
 * packages ship no TypeScript types for @ohif/core, so these are written from
 * its source; everything else is reached through them, never imported.
 */
export interface Notification {
  title: string;
  message: string;
  type?: 'info' | 'success' | 'warning' | 'error';
  duration?: number;
}

export interface ViewportGridState {
  activeViewportId: string | null;
  viewports: Map<string, { viewportId: string; displaySetInstanceUIDs: string[] }>;
}

/** A toolbar button definition, as modes and extensions register them. */
export interface ToolbarButton {
  id: string;
  uiType: string;
  props: Record<string, unknown>;
}

/** A hanging protocol's sync group: viewports sharing one Cornerstone synchronizer. */
export interface SyncGroup {
  type: string;
  id: string;
  source: boolean;
  target: boolean;
  options?: Record<string, unknown>;
}

/** A button of OHIF's viewport dialog: `value` is what onSubmit receives. */
export interface ViewportDialogAction<V> {
  id: string;
  text: string;
  value: V;
  type: 'primary' | 'secondary';
}

/** OHIF's in-viewport question (the one its SR hydration and tracking prompts use). */
export interface ViewportDialog<V> {
  viewportId: string;
  id: string;
  type: 'info' | 'warning' | 'error' | 'success';
  message: string;
  actions: ViewportDialogAction<V>[];
  onSubmit(value: V): void;
  onOutsideClick?(): void;
  onKeyPress?(event: KeyboardEvent): void;
}

export interface OhifServices {
  uiNotificationService: { show(notification: Notification): void };
  uiViewportDialogService: { show<V>(dialog: ViewportDialog<V>): void; hide(): void };
  viewportGridService: {
    getState(): ViewportGridState;
    getActiveViewportId(): string;
    subscribe(event: string, callback: (...args: unknown[]) => void): { unsubscribe(): void };
    EVENTS: Record<string, string>;
  };
  cornerstoneViewportService: {
    getCornerstoneViewport(viewportId: string): unknown;
    subscribe(event: string, callback: (...args: unknown[]) => void): { unsubscribe(): void };
    EVENTS: Record<string, string>;
  };
  toolbarService: {
    refreshToolbarState(state?: Record<string, unknown>): void;
    updateSection(section: string, buttonIds: string[]): void;
    register(buttons: ToolbarButton[], replace?: boolean): void;
  };
  syncGroupService: {
    addViewportToSyncGroup(viewportId: string, renderingEngineId: string, syncGroups: SyncGroup | SyncGroup[]): void;
    /** Without an id: every group the viewport is in. */
    removeViewportFromSyncGroup(viewportId: string, renderingEngineId: string, syncGroupId?: string): void;
  };
  displaySetService: {
    /** One series' instances (or, with options.batch, a list of them) → its display sets. */
    makeDisplaySets(input: unknown, options?: unknown): unknown;
  };
  hangingProtocolService: {
    getState(): { protocolId: string; stageIndex: number; activeStudyUID: string };
    /** displaySetSelectorMap keys: "<study uid>:<selector id>:<match index>" → display set UIDs. */
    setProtocol(
      protocolId: string,
      options: { stageIndex?: number; displaySetSelectorMap?: Record<string, string[]> },
    ): void;
  };
}

export interface ServicesManager {
  services: OhifServices;
}

export interface CommandsManager {
  runCommand(name: string, options?: Record<string, unknown>, context?: string): unknown;
}

export interface ExtensionParams {
  servicesManager: ServicesManager;
  commandsManager: CommandsManager;
  extensionManager: { registeredExtensionIds: string[] };
  appConfig: { peerImport?: (name: string) => Promise<unknown> } & Record<string, unknown>;
  configuration?: unknown;
}
