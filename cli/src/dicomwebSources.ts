import { DicomWebError, listStudyInstances, retrieveInstance, type DicomWebTarget } from '../../extension/src/dicom/dicomweb';
import { EXPLICIT_VR_LITTLE_ENDIAN } from '../../extension/src/dicom/part10';
import type { BatchSource } from './inputs';

/**
 * The server could not send the instance uncompressed: 406 Not Acceptable (as
 * the standard says), or a server error while transcoding (Orthanc 1.10.1 from
 * Debian answers 500 for JPEG 2000, which it cannot decode).
 */
const couldNotTranscode = (error: unknown): boolean =>
  error instanceof DicomWebError && error.status !== undefined && (error.status === 406 || error.status >= 500);

/**
 * The instances of one study on a DICOMweb server (QIDO-RS), each read with
 * WADO-RS only when its turn comes. Outputs go to <series>/<instance>.dcm,
 * named by the source's UIDs.
 *
 * Each instance is asked for uncompressed, so the server decodes what it
 * stores as JPEG, JPEG-LS, JPEG 2000 or RLE (the batch tool's reader has no
 * decoders); a server that cannot transcode is asked again for the instance
 * as stored, and the reader then says per file what it refuses.
 */
export async function dicomWebSources(target: DicomWebTarget, studyUid: string): Promise<BatchSource[]> {
  const instances = await listStudyInstances(target, studyUid);
  return instances.map((ref): BatchSource => ({
    label: `series ${ref.seriesUid} instance ${ref.sopUid}`,
    outputName: `${ref.seriesUid}/${ref.sopUid}.dcm`,
    read: async () => {
      try {
        return await retrieveInstance(target, studyUid, ref.seriesUid, ref.sopUid, EXPLICIT_VR_LITTLE_ENDIAN);
      } catch (error) {
        if (!couldNotTranscode(error)) throw error;
        return retrieveInstance(target, studyUid, ref.seriesUid, ref.sopUid);
      }
    },
  }));
}
