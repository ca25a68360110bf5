/**
 * A strict reader for binary PGM (P5), the format of the MIAS images.
 * Anything else is rejected with a message that names the file and the fault.
 */

export interface PgmImage {
  readonly width: number;
  readonly height: number;
  readonly maxValue: number;
  /** Row-major samples; Uint8Array when maxValue < 256, else Uint16Array (PGM is big-endian). */
  readonly pixels: Uint8Array | Uint16Array;
}

export class PgmError extends Error {
  constructor(source: string, problem: string) {
    super(`${source}: not a readable binary PGM (P5) image: ${problem}`);
    this.name = 'PgmError';
  }
}

const isSpace = (b: number): boolean =>
  b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c;

/** Parses P5 bytes. `source` names the file in error messages. */
export function parsePgm(bytes: Uint8Array, source: string): PgmImage {
  let pos = 0;
  const fail = (problem: string): never => {
    throw new PgmError(source, problem);
  };

  if (bytes.length < 2 || bytes[0] !== 0x50) fail('it does not start with the magic number "P5"');
  if (bytes[1] !== 0x35) {
    const magic = String.fromCharCode(bytes[0] ?? 0, bytes[1] ?? 0);
    fail(`magic number is "${magic}"; only binary greyscale "P5" is supported (convert ASCII P2 or colour P6 first)`);
  }
  pos = 2;

  // Header tokens are separated by whitespace; '#' starts a comment up to end of line.
  const readToken = (what: string): number => {
    for (;;) {
      while (pos < bytes.length && isSpace(bytes[pos] as number)) pos += 1;
      if (bytes[pos] !== 0x23) break;
      while (pos < bytes.length && bytes[pos] !== 0x0a && bytes[pos] !== 0x0d) pos += 1;
    }
    const start = pos;
    while (pos < bytes.length && (bytes[pos] as number) >= 0x30 && (bytes[pos] as number) <= 0x39) pos += 1;
    if (pos === start) fail(`header field ${what} is missing or not a decimal number`);
    if (pos < bytes.length && !isSpace(bytes[pos] as number))
      fail(`header field ${what} is followed by an unexpected character`);
    return Number(new TextDecoder().decode(bytes.subarray(start, pos)));
  };

  const width = readToken('width');
  const height = readToken('height');
  const maxValue = readToken('maxval');
  if (width < 1 || height < 1) fail(`image size ${width}x${height} is empty`);
  if (maxValue < 1 || maxValue > 65535) fail(`maxval ${maxValue} is outside 1..65535`);
  // Exactly one whitespace byte separates the header from the raster.
  pos += 1;

  const bytesPerSample = maxValue < 256 ? 1 : 2;
  const expected = width * height * bytesPerSample;
  const available = bytes.length - pos;
  if (available < expected)
    fail(`raster is truncated: ${available} bytes, expected ${expected} for ${width}x${height}`);

  let pixels: Uint8Array | Uint16Array;
  if (bytesPerSample === 1) {
    pixels = bytes.slice(pos, pos + expected);
  } else {
    pixels = new Uint16Array(width * height);
    for (let i = 0; i < pixels.length; i += 1) {
      pixels[i] = ((bytes[pos + 2 * i] as number) << 8) | (bytes[pos + 2 * i + 1] as number);
    }
  }
  for (let i = 0; i < pixels.length; i += 1) {
    if ((pixels[i] as number) > maxValue) fail(`sample ${i} is ${pixels[i]}, above maxval ${maxValue}`);
  }
  return { width, height, maxValue, pixels };
}
