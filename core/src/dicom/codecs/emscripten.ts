import { assertGreyscale, type DecodedFrame } from './decodedFrame';

/**
 * Loads the Cornerstone codec packages (Emscripten builds of OpenJPEG, CharLS
 * and libjpeg-turbo) once, lazily, in Node, and runs their calls so that what
 * the C libraries print is caught instead of reaching the terminal.
 */

/** Options every Emscripten module factory takes. */
interface EmscriptenModuleOptions {
  print(line: string): void;
  printErr(line: string): void;
}

export type EmscriptenFactory<M> = (options: EmscriptenModuleOptions) => Promise<M>;

/** The embind object every codec class instance is: its WASM memory is freed only by delete(). */
export interface EmbindObject {
  delete(): void;
}

/** Where the lines a codec prints go while one of its calls runs (null between calls). */
let printed: string[] | null = null;
const capture = (line: string): void => {
  // OpenJPEG narrates every decode at [INFO]; only its warnings and errors are worth a report line.
  // A line printed outside runCodec (none is expected) is dropped rather than shown raw.
  if (!/^\[INFO\]/.test(line.trim())) printed?.push(line.trim());
};

/**
 * One load per module for the whole process: the factory is called on first
 * use and its promise kept, so concurrent first calls share one instance.
 */
export function lazyModule<M>(load: () => Promise<{ default: EmscriptenFactory<M> }>): () => Promise<M> {
  let instance: Promise<M> | null = null;
  return () => {
    instance ??= load().then((module) => module.default({ print: capture, printErr: capture }));
    return instance;
  };
}

/** A codec failure, with what the library printed while it failed. */
export class CodecError extends Error {}

/**
 * Runs a synchronous codec call and returns its result with the lines the
 * library printed. WASM calls never yield, so one module-level buffer serves
 * any number of concurrent decodes. C++ exceptions arrive as bare numbers
 * (pointers into WASM memory); they become a CodecError naming the codec.
 */
export function runCodec<T>(codec: string, call: () => T): { result: T; messages: string[] } {
  const outer = printed;
  const messages: string[] = [];
  printed = messages;
  try {
    return { result: call(), messages };
  } catch (error) {
    const said = messages.length ? `: ${messages.join('; ')}` : '';
    if (error instanceof Error) throw new CodecError(`${codec} failed (${error.message})${said}`);
    throw new CodecError(`${codec} could not decode the stream${said || ' (no message from the library)'}`);
  } finally {
    printed = outer;
  }
}

/**
 * Decodes one stream with a fresh decoder object of a codec package: the
 * stream is copied into WASM memory, decoded, and the samples copied out (the
 * decoder's buffer is freed with the decoder). `read` takes whatever else the
 * caller needs from the decoder (lossless or not) before it is freed.
 */
export function decodeWithCodec<D extends CodecDecoder, X>(
  codec: string,
  create: () => D,
  stream: Uint8Array,
  read: (decoder: D, info: CodecFrameInfo) => X,
): { info: CodecFrameInfo; extra: X; samples: Uint8Array; messages: string[] } {
  const { result, messages } = runCodec(codec, () =>
    withCodecObject(create, (decoder) => {
      decoder.getEncodedBuffer(stream.length).set(stream);
      decoder.decode();
      const info = decoder.getFrameInfo();
      return { info, extra: read(decoder, info), samples: decoder.getDecodedBuffer().slice() };
    }),
  );
  return { ...result, messages };
}

/**
 * One greyscale frame of a codec package's decoder (see decodeWithCodec), at
 * the precision the stream declares; a stream of more than one component is
 * refused (`format` names it). `describe` reads from the decoder, before it is
 * freed, whether the samples are signed and whether the stream lost information.
 */
export function decodeGreyscaleWithCodec<D extends CodecDecoder>(
  codec: string,
  format: string,
  create: () => D,
  stream: Uint8Array,
  describe: (decoder: D, info: CodecFrameInfo) => { signed: boolean; lossy: boolean },
): DecodedFrame {
  const { info, extra, samples, messages } = decodeWithCodec(codec, create, stream, describe);
  assertGreyscale(format, info.componentCount);
  return {
    width: info.width,
    height: info.height,
    bitsPerSample: info.bitsPerSample,
    bytesPerSample: info.bitsPerSample > 8 ? 2 : 1,
    signed: extra.signed,
    samples,
    lossy: extra.lossy,
    warnings: messages,
  };
}

/**
 * Encodes one frame with a fresh encoder object of a codec package: the
 * samples are copied into WASM memory, `configure` sets the codec's options,
 * and the stream is copied out (the encoder's buffers are freed with it).
 */
export function encodeWithCodec<E extends CodecEncoder>(
  codec: string,
  create: () => E,
  samples: Uint8Array,
  frame: CodecEncodeFrameInfo,
  configure: (encoder: E) => void,
): Uint8Array {
  const { result } = runCodec(codec, () =>
    withCodecObject(create, (encoder) => {
      encoder.getDecodedBuffer(frame).set(samples);
      configure(encoder);
      encoder.encode();
      return encoder.getEncodedBuffer().slice();
    }),
  );
  return result;
}

/** Calls `use` with a fresh codec object and always frees it, so a 50 MB image's buffers do not stay in WASM memory. */
export function withCodecObject<O extends EmbindObject, T>(create: () => O, use: (codec: O) => T): T {
  const codec = create();
  try {
    return use(codec);
  } finally {
    codec.delete();
  }
}
