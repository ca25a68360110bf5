/**
 * The parts of the Cornerstone codec packages (which ship no TypeScript types)
 * that the decoder and encoder use. Each "wasmjs" entry is an Emscripten
 * module factory; its classes are embind objects freed with delete().
 */

interface CodecFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

interface CodecEncodeFrameInfo extends CodecFrameInfo {
  isSigned: boolean;
  isUsingColorTransform?: boolean;
}

interface CodecDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): CodecFrameInfo;
  getDecodedBuffer(): Uint8Array;
  delete(): void;
}

interface CodecEncoder {
  getDecodedBuffer(frameInfo: CodecEncodeFrameInfo): Uint8Array;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
}

declare module '@cornerstonejs/codec-openjpeg/wasmjs' {
  export interface J2KDecoder extends CodecDecoder {
    getIsReversible(): boolean;
  }
  export interface J2KEncoder extends CodecEncoder {
    setQuality(lossless: boolean, quality: number): void;
    setDecompositions(levels: number): void;
  }
  export interface OpenJpegModule {
    J2KDecoder: new () => J2KDecoder;
    J2KEncoder: new () => J2KEncoder;
  }
  const factory: import('./emscripten').EmscriptenFactory<OpenJpegModule>;
  export default factory;
}

declare module '@cornerstonejs/codec-charls/wasmjs' {
  export interface JpegLSDecoder extends CodecDecoder {
    getNearLossless(): number;
  }
  export interface JpegLSEncoder extends CodecEncoder {
    setNearLossless(near: number): void;
  }
  export interface CharlsModule {
    JpegLSDecoder: new () => JpegLSDecoder;
    JpegLSEncoder: new () => JpegLSEncoder;
  }
  const factory: import('./emscripten').EmscriptenFactory<CharlsModule>;
  export default factory;
}

declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs' {
  export type JpegDecoder = CodecDecoder;
  export interface LibJpegTurboModule {
    JPEGDecoder: new () => JpegDecoder;
  }
  const factory: import('./emscripten').EmscriptenFactory<LibJpegTurboModule>;
  export default factory;
}
