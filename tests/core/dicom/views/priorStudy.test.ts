import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choosePriorStudy, formatStudyDate, type ExamSummary } from '@mammo-denoise/core';

const current: ExamSummary = { studyInstanceUid: '1.1', patientId: 'P1', date: '20260101', modalities: ['MG'] };
const study = (uid: string, date: string, more: Partial<ExamSummary> = {}): ExamSummary => ({
  studyInstanceUid: uid,
  patientId: 'P1',
  date,
  modalities: ['MG'],
  ...more,
});

test('the prior is the latest earlier MG study of the same patient', () => {
  const found = choosePriorStudy(current, [
    study('old', '20230101'),
    study('prior', '20250102'),
    study('later', '20260301'),
    study('other patient', '20251201', { patientId: 'P2' }),
    study('ct', '20251101', { modalities: ['CT'] }),
    current,
  ]);
  assert.equal(found?.studyInstanceUid, 'prior');
});

test('a study whose modalities are not given may be the prior; one of the same day only if earlier that day', () => {
  assert.equal(
    choosePriorStudy(current, [study('unknown', '20250601', { modalities: [] })])?.studyInstanceUid,
    'unknown',
  );
  const morning = { ...current, time: '101500' };
  assert.equal(choosePriorStudy(morning, [study('same day later', '20260101', { time: '11:00:00' })]), null);
  assert.equal(
    choosePriorStudy(morning, [study('same day earlier', '20260101', { time: '0905' })])?.studyInstanceUid,
    'same day earlier',
  );
});

test('without a patient id or a study date no prior can be told apart', () => {
  assert.equal(choosePriorStudy({ ...current, date: undefined }, [study('prior', '20250101')]), null);
  assert.equal(choosePriorStudy({ ...current, patientId: ' ' }, [study('prior', '20250101')]), null);
  assert.equal(choosePriorStudy(current, [study('no date', '')]), null);
  assert.equal(choosePriorStudy(current, []), null);
});

test('study dates print as ISO dates', () => {
  assert.equal(formatStudyDate('20250102'), '2025-01-02');
  assert.equal(formatStudyDate(undefined), '');
  assert.equal(formatStudyDate('Jan 2025'), 'Jan 2025');
});
