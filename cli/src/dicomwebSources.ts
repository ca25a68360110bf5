import { listStudyInstances, retrieveInstance, type DicomWebTarget } from '@mammo-denoise/core';
import type { BatchSource } from './inputs';

/**
 * The instances of one study on a DICOMweb server (QIDO-RS), each read with
 * WADO-RS only when its turn comes. Outputs go to <series>/<instance>.dcm,
 * named by the source's UIDs.
 *
 * Each instance is asked for as stored (transfer-syntax=*) and decoded here,
 * with the same decoder as files: one request, no load on the server, the
 * same pixels as from a file, and it works with servers that cannot
 * transcode (Orthanc 1.10.1 from Debian answers 500 for JPEG 2000). Reading
 * the stored syntax also tells whether the source was lossy.
 */
export async function dicomWebSources(target: DicomWebTarget, studyUid: string): Promise<BatchSource[]> {
  const instances = await listStudyInstances(target, studyUid);
  return instances.map((ref): BatchSource => ({
    label: `series ${ref.seriesUid} instance ${ref.sopUid}`,
    outputName: `${ref.seriesUid}/${ref.sopUid}.dcm`,
    read: () => retrieveInstance(target, studyUid, ref.seriesUid, ref.sopUid),
  }));
}
