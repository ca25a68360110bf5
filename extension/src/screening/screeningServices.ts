import type { CustomSynchronizers } from './mirroredZoomPan';
import type { OhifServices } from '../ohifTypes';
import type { DisplaySetLike } from './viewRegistry';

/** OHIF's study metadata, as far as hanging protocol matching reads it. */
export interface StudyLike {
  StudyInstanceUID: string;
  [key: string]: unknown;
}

/** What a custom attribute is asked about: a display set (series rules) or a study (protocol rules). */
export type MatchItem = DisplaySetLike & { StudyInstanceUID?: string };

/** The matching options OHIF 3.13 hands a custom attribute: the display sets being hung. */
export interface MatchOptions {
  displaySets?: MatchItem[];
}

/**
 * The slice of OHIF 3.13's services the screening layout adds to OhifServices
 * (written from @ohif/core's source; OHIF publishes no types).
 */
export interface ScreeningServices extends OhifServices {
  syncGroupService: OhifServices['syncGroupService'] & CustomSynchronizers;
  hangingProtocolService: OhifServices['hangingProtocolService'] & {
    /** The callback gets the display set (series rules) or the study (protocol rules), and the matching options. */
    addCustomAttribute(id: string, name: string, callback: (item: MatchItem, options?: MatchOptions) => unknown): void;
    subscribe(event: string, callback: (...args: unknown[]) => void): { unsubscribe(): void };
    EVENTS: Record<string, string>;
    /** stageId: the stage to show (OHIF 3.13 looks it up among the protocol's stages). */
    setProtocol(protocolId: string, options: { stageId?: string }): void;
    /** Matches the protocol against these studies (in this order: OHIF's studyInstanceUIDsIndex) and display sets. */
    run(
      props: { studies: StudyLike[]; displaySets: DisplaySetLike[]; activeStudy: StudyLike },
      protocolId: string,
      options: { stageId?: string },
    ): void;
    /** The studies of the last run (OHIF's study metadata objects). */
    studies?: StudyLike[];
  };
  displaySetService: OhifServices['displaySetService'] & {
    getActiveDisplaySets(): Array<
      DisplaySetLike & { displaySetInstanceUID: string; StudyInstanceUID?: string; numImageFrames?: number }
    >;
  };
}
