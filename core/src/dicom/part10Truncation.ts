import { TRANSFER_SYNTAX } from './transferSyntax';

/**
 * Whether a Part 10 file is whole. dcmjs reads a file cut short without
 * complaint: it zero-fills an element that runs past the end
 * (ReadBufferStream.slice) and stops, so a truncated native image reads as one
 * with a black bottom, a truncated JPEG 2000 stream as a codestream ending in
 * zeros (which OpenJPEG decodes), and a file cut in its header as one without
 * pixel data. This walks the file's element structure itself: lengths only,
 * no values, so it costs nothing next to decoding.
 */

/** VRs whose explicit-VR length field is 4 bytes (after 2 reserved bytes). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const UNDEFINED = 0xffffffff;

class Truncated extends Error {}

interface Walk {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly littleEndian: boolean;
  readonly explicitVr: boolean;
}

const tagName = (group: number, element: number): string =>
  `(${group.toString(16).toUpperCase().padStart(4, '0')},${element.toString(16).toUpperCase().padStart(4, '0')})`;

function need(walk: Walk, at: number, count: number, what: string): void {
  if (at + count > walk.bytes.length)
    throw new Truncated(`the file is truncated: it ends ${at + count - walk.bytes.length} bytes into ${what}`);
}

/**
 * Walks elements from `at` until `end` (a defined length) or until the
 * delimiter item with element number `until` (undefined lengths); returns
 * where it stopped.
 */
function walkElements(walk: Walk, at: number, end: number, until: number | null, within: string): number {
  const { view, littleEndian, explicitVr } = walk;
  while (until !== null || at < end) {
    // Zero bytes after the last element are padding some writers leave, not a cut header.
    if (until === null && at + 8 > walk.bytes.length && walk.bytes.subarray(at).every((b) => b === 0))
      return walk.bytes.length;
    need(walk, at, 8, 'an element header');
    const group = view.getUint16(at, littleEndian);
    const element = view.getUint16(at + 2, littleEndian);
    if (group === 0xfffe) {
      // Item and delimiters are always tag + 4-byte length.
      const length = view.getUint32(at + 4, littleEndian);
      at += 8;
      if (element === until) return at;
      if (element !== 0xe000) continue;
      at =
        length === UNDEFINED
          ? walkElements(walk, at, Infinity, 0xe00d, within)
          : skip(walk, at, length, `an item of ${within}`);
      continue;
    }
    const name = tagName(group, element);
    let length: number;
    if (explicitVr) {
      const vr = String.fromCharCode(walk.bytes[at + 4] as number, walk.bytes[at + 5] as number);
      if (LONG_VRS.has(vr)) {
        need(walk, at, 12, `the header of ${name}`);
        length = view.getUint32(at + 8, littleEndian);
        at += 12;
      } else {
        length = view.getUint16(at + 6, littleEndian);
        at += 8;
      }
    } else {
      length = view.getUint32(at + 4, littleEndian);
      at += 8;
    }
    const what = group === 0x7fe0 && element === 0x0010 ? 'its pixel data' : `element ${name}`;
    // Undefined length: a sequence, or encapsulated pixel data (a sequence of items), ending at a sequence delimiter.
    at = length === UNDEFINED ? walkElements(walk, at, Infinity, 0xe0dd, what) : skip(walk, at, length, what);
    if (at > end) throw new Truncated(`${what} runs past the end of its item`);
  }
  return at;
}

function skip(walk: Walk, at: number, length: number, what: string): number {
  if (at + length > walk.bytes.length)
    throw new Truncated(
      `the file is truncated: it ends ${at + length - walk.bytes.length} bytes ` +
        `before the end of ${what} (${length} bytes)`,
    );
  return at + length;
}

/**
 * Where the data set starts: after the preamble, "DICM" and the group 0002 elements (always explicit VR little endian).
 */
function dataSetStart(bytes: Uint8Array, view: DataView): number {
  let at = 132;
  while (at + 8 <= bytes.length && view.getUint16(at, true) === 0x0002) {
    const vr = String.fromCharCode(bytes[at + 4] as number, bytes[at + 5] as number);
    at += LONG_VRS.has(vr) ? 12 + view.getUint32(at + 8, true) : 8 + view.getUint16(at + 6, true);
  }
  return at;
}

/**
 * Why the file is cut short (or its element structure broken), or undefined
 * when it is whole. A deflated data set is not walked: its inflation fails on
 * its own when cut.
 */
export function part10Truncation(bytes: Uint8Array, transferSyntaxUid: string): string | undefined {
  if (transferSyntaxUid === TRANSFER_SYNTAX.deflatedExplicitLittle || bytes.length < 132) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const walk: Walk = {
    bytes,
    view,
    littleEndian: transferSyntaxUid !== TRANSFER_SYNTAX.explicitBig,
    explicitVr: transferSyntaxUid !== TRANSFER_SYNTAX.implicitLittle,
  };
  try {
    walkElements(walk, dataSetStart(bytes, view), bytes.length, null, 'the data set');
    return undefined;
  } catch (error) {
    if (error instanceof Truncated) return error.message;
    throw error;
  }
}
