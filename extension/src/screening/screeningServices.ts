import type { OhifServices } from '../ohifTypes';
import type { DisplaySetLike } from './viewRegistry';

/**
 * The slice of OHIF 3.13's services the screening layout adds to OhifServices
 * (written from @ohif/core's source; OHIF publishes no types).
 */
export interface ScreeningServices extends OhifServices {
  hangingProtocolService: OhifServices['hangingProtocolService'] & {
    /** The callback gets the display set (series rules) or the study (protocol rules), and the matching options. */
    addCustomAttribute(
      id: string,
      name: string,
      callback: (item: DisplaySetLike, options?: { displaySets?: DisplaySetLike[] }) => unknown,
    ): void;
    subscribe(event: string, callback: (...args: unknown[]) => void): { unsubscribe(): void };
    EVENTS: Record<string, string>;
    /** stageId: the stage to show (OHIF 3.13 looks it up among the protocol's stages). */
    setProtocol(protocolId: string, options: { stageId?: string }): void;
  };
  displaySetService: {
    getActiveDisplaySets(): Array<
      DisplaySetLike & { displaySetInstanceUID: string; StudyInstanceUID?: string; numImageFrames?: number }
    >;
  };
}
