// Guards issue 15's `npm start` findings: every printed study link must open
// its own study (one list per study), header-stripped exports whose UIDs are
// only in the file meta are offered with those UIDs, and a study without
// Modality whose SOP class is mammography is listed as MG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dcmjs, { type NaturalizedDataset } from 'dcmjs';
import { MG_FOR_PRESENTATION, writePart10, EXPLICIT_VR_LITTLE_ENDIAN } from '@mammo-denoise/core';
import { mammographyDataset } from '../../../scripts/sample/sampleStudy';
import {
  dicomJsonStudies,
  perStudyLists,
  scanDicomFolder,
  studyListPath,
} from '../../../scripts/start/dicomJsonStudies';
import { studyUrl } from '../../../scripts/start/start';

function dataset(patient: string, study: string, sop: string): NaturalizedDataset {
  return mammographyDataset({
    pixels: new Uint16Array(16 * 16).fill(100),
    width: 16,
    height: 16,
    bitsStored: 12,
    photometricInterpretation: 'MONOCHROME2',
    laterality: 'L',
    view: 'CC',
    studyInstanceUid: study,
    seriesInstanceUid: `${study}.1`,
    sopInstanceUid: sop,
    instanceNumber: 1,
    seriesDescription: 's',
    patientName: patient,
    patientId: patient,
    spacing: 0.1,
  });
}

/** A Part 10 file whose dataset lacks SOP Class/Instance UID: they are only in its file meta. */
function metaOnlyUids(data: NaturalizedDataset, sopClass: string, sopInstance: string): Uint8Array {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: sopClass,
    MediaStorageSOPInstanceUID: sopInstance,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  const stripped = { ...data };
  delete stripped.SOPInstanceUID;
  delete stripped.SOPClassUID;
  dict.dict = DicomMetaDictionary.denaturalizeDataset(stripped);
  return new Uint8Array(dict.write());
}

test(
  "one list per study (the linked study first, then the patient's others), each link naming that list; " +
    'meta-only UIDs offered; MG without Modality listed as MG',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'start-lists-'));
    writeFileSync(join(dir, 'a.dcm'), writePart10(dataset('PA', '2.25.1', '2.25.11')));
    writeFileSync(join(dir, 'b.dcm'), metaOnlyUids(dataset('PB', '2.25.2', '2.25.21'), MG_FOR_PRESENTATION, '2.25.21'));
    const noModality = dataset('PC', '2.25.3', '2.25.31');
    delete noModality.Modality;
    writeFileSync(join(dir, 'c.dcm'), writePart10(noModality));
    // PA's earlier study: in PA's list after the linked study (the viewer's prior search sees only its list).
    writeFileSync(join(dir, 'd.dcm'), writePart10(dataset('PA', '2.25.4', '2.25.41')));

    const scanned = scanDicomFolder(dir);
    assert.deepEqual(
      scanned.filter((f) => 'skipped' in f),
      [],
      'no file skipped',
    );
    const index = dicomJsonStudies(scanned, dir, '/studies/files') as {
      studies: Array<{
        StudyInstanceUID: string;
        Modalities: string;
        series: Array<{ Modality: string; instances: Array<{ metadata: NaturalizedDataset }> }>;
      }>;
    };
    const byStudy = new Map(index.studies.map((s) => [s.StudyInstanceUID, s]));
    assert.deepEqual([...byStudy.keys()].sort(), ['2.25.1', '2.25.2', '2.25.3', '2.25.4']);
    const stripped = byStudy.get('2.25.2')!.series[0]!.instances[0]!.metadata;
    assert.equal(stripped.SOPInstanceUID, '2.25.21');
    assert.equal(stripped.SOPClassUID, MG_FOR_PRESENTATION);
    assert.equal(byStudy.get('2.25.3')!.Modalities, 'MG');
    assert.equal(byStudy.get('2.25.3')!.series[0]!.Modality, 'MG');
    // The worklist renders PatientName as text: an object (dcmjs's PN) crashed it.
    assert.equal((byStudy.get('2.25.1') as unknown as { PatientName: unknown }).PatientName, 'PA');

    const lists = perStudyLists(index);
    assert.equal(lists.size, 4);
    const samePatient: Record<string, string[]> = { '2.25.1': ['2.25.4'], '2.25.4': ['2.25.1'] };
    for (const uid of byStudy.keys()) {
      const list = JSON.parse(lists.get(studyListPath(uid))!) as { studies: Array<{ StudyInstanceUID: string }> };
      assert.deepEqual(
        list.studies.map((s) => s.StudyInstanceUID),
        [uid, ...(samePatient[uid] ?? [])],
      );
      assert.equal(
        studyUrl('http://localhost:3000', uid),
        `http://localhost:3000/denoise?StudyInstanceUIDs=${uid}&url=/studies/${uid}.json`,
      );
    }
  },
);

test('a file without any study or series UID gets stable derived ones', () => {
  const dir = mkdtempSync(join(tmpdir(), 'start-derived-'));
  const data = dataset('PD', '2.25.4', '2.25.41');
  delete data.StudyInstanceUID;
  delete data.SeriesInstanceUID;
  writeFileSync(join(dir, 'd.dcm'), writePart10(data));
  const [first] = scanDicomFolder(dir);
  const [again] = scanDicomFolder(dir);
  assert.ok(first && 'dataset' in first && again && 'dataset' in again);
  assert.match(String(first.dataset.StudyInstanceUID), /^2\.25\.\d+$/);
  assert.equal(first.dataset.StudyInstanceUID, again.dataset.StudyInstanceUID);
  assert.notEqual(first.dataset.SeriesInstanceUID, first.dataset.StudyInstanceUID);
});
