/** The start-of-frame header of a JPEG (ITU T.81) stream: which process made it and at what precision. */
export interface JpegFrameHeader {
  /** The SOF marker's low byte: 0xC0 baseline, 0xC1 extended, 0xC2 progressive, 0xC3 lossless, ... */
  readonly process: number;
  readonly precision: number;
  readonly rows: number;
  readonly columns: number;
  readonly components: number;
}

const isStartOfFrame = (marker: number): boolean =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** Walks the marker segments up to the first SOF; undefined if the stream has none before its first scan. */
export function readJpegFrameHeader(stream: Uint8Array): JpegFrameHeader | undefined {
  if (stream[0] !== 0xff || stream[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 4 <= stream.length) {
    if (stream[at] !== 0xff) return undefined;
    const marker = stream[at + 1] as number;
    // Fill bytes and markers without a length (RSTn, TEM).
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = ((stream[at + 2] as number) << 8) | (stream[at + 3] as number);
    if (isStartOfFrame(marker)) {
      if (at + 10 > stream.length) return undefined;
      return {
        process: marker,
        precision: stream[at + 4] as number,
        rows: ((stream[at + 5] as number) << 8) | (stream[at + 6] as number),
        columns: ((stream[at + 7] as number) << 8) | (stream[at + 8] as number),
        components: stream[at + 9] as number,
      };
    }
    if (marker === 0xda) return undefined;
    at += 2 + length;
  }
  return undefined;
}
