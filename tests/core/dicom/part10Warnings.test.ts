// readPart10 catches what dcmjs logs (it used to reach the batch tool's terminal raw:
// "Invalid length for fixed length tag, vr AS, length 4 != 6") and hands it back
// per file; a file cut short or without a meta group length gets a plain answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { part10Warnings, readPart10, truncationOf, writePart10 } from '@mammo-denoise/core';
import { fileWithLongAge, originalDataset, PIXEL_KINDS } from '../../fixtures/compressedDicom';

/** Runs `call` with the console's output methods counting instead of printing. */
function consoleLines<T>(call: () => T): { result: T; lines: string[] } {
  const lines: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) console[m] = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    return { result: call(), lines };
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i]!));
  }
}

test("dcmjs's warnings are returned once per file, never printed", () => {
  const bytes = fileWithLongAge();
  const { result, lines } = consoleLines(() => [readPart10(bytes), readPart10(bytes)]);
  assert.deepEqual(lines, [], 'nothing reached the console');
  for (const dataset of result) {
    assert.deepEqual(part10Warnings(dataset), ['Invalid length for fixed length tag, vr AS, length 4 != 6']);
    assert.equal(dataset.PatientAge, '045YRS');
  }
});

test('a clean file has no warnings, and a dataset not read from a file has none either', () => {
  const { dataset } = originalDataset(PIXEL_KINDS[0]!);
  assert.deepEqual(part10Warnings(readPart10(writePart10(dataset))), []);
  assert.deepEqual(part10Warnings(dataset), []);
});

test('a file cut anywhere is refused with a message that says so, without console output', async () => {
  const { dataset } = originalDataset(PIXEL_KINDS[2]!);
  const bytes = writePart10(dataset);
  const { decodeStoredImage } = await import('@mammo-denoise/core/node');
  const reasons: string[] = [];
  // In the header, in the pixel data, and 3 bytes short: dcmjs
  // zero-fills silently or throws; either way a plain message.
  for (const size of [420, 900, Math.floor(bytes.length * 0.6), bytes.length - 3]) {
    const { lines } = consoleLines(() => {
      try {
        const read = readPart10(bytes.subarray(0, size));
        reasons.push(
          `refused:${truncationOf(read) ?? (read.PixelData === undefined ? 'no pixel data (truncated?)' : 'whole')}`,
        );
      } catch (error) {
        reasons.push(`threw:${(error as Error).message}`);
      }
    });
    assert.deepEqual(lines, []);
  }
  for (const reason of reasons) assert.match(reason, /truncated|ends early/, reason);
  const cut = readPart10(bytes.subarray(0, bytes.length - 3));
  const decoded = await decodeStoredImage(cut);
  assert.ok(
    !decoded.ok && /the file is truncated: it ends 3 bytes before the end of its pixel data/.test(decoded.reason),
    JSON.stringify(decoded),
  );
  assert.equal(truncationOf(readPart10(bytes)), undefined, 'the whole file is whole');
});

test('a meta header without its group length (as some modalities write it) is read, and said once', () => {
  const { dataset } = originalDataset(PIXEL_KINDS[1]!);
  const bytes = writePart10(dataset);
  // Drop (0002,0000) UL: 12 bytes right after the 128-byte preamble and "DICM".
  assert.deepEqual([...bytes.subarray(132, 136)], [0x02, 0x00, 0x00, 0x00]);
  const withoutLength = new Uint8Array([...bytes.subarray(0, 132), ...bytes.subarray(144)]);
  const read = readPart10(withoutLength);
  assert.equal(read.SOPInstanceUID, dataset.SOPInstanceUID);
  assert.deepEqual(part10Warnings(read), ['the file meta information has no group length (0002,0000)']);
});
