/**
 * WORKAROUND. Upstream issue: none filed (searched 2026-12-03); the behaviour is Chromium's
 *   (gpu/command_buffer/client: a texture upload that does not fit the transfer buffer is copied into
 *   one mapped shared-memory chunk of its whole size, which the client keeps for reuse and frees only
 *   above a limit tied to the machine's RAM).
 * Delete when: a renderer's resident memory no longer holds one image-sized shared-memory region per
 *   large texture uploaded (bench/screening.ts --memory-only, before and after removing the install).
 *
 * Cornerstone uploads each image to the GPU as a 32-bit float texture in one
 * call (vtk.js: texStorage + texSubImage of the whole image; 105 MB for a
 * 5355x4915 mammogram, since headless and many desktop GPUs lack 16-bit norm
 * textures). Chromium's GL client copies such an upload into a mapped
 * shared-memory chunk of that size and keeps the chunk: measured on the
 * four-view 5355x4915 exam, five 102 MB regions stayed in the tab's resident
 * memory after the images were shown. Here a large upload from client memory
 * is sent as the same texSubImage calls over bands of rows (a few MB each),
 * which travel through the GL client's ordinary transfer buffer; the texture
 * receives the same bytes in the same places. Uploads this cannot split
 * exactly (a pixel unpack buffer bound, row length, skips or image height
 * set, Y flipped, rows padded by the unpack alignment, a source offset) are
 * passed on whole, as before.
 */

/** Bands of at most this many bytes. Chromium's transfer buffer grows to 16 MB; a band well inside it never stalls. */
export const UPLOAD_BAND_BYTES = 4 * 2 ** 20;

/** Uploads below this are passed on whole (the split only matters for image-sized ones). */
export const SPLIT_ABOVE_BYTES = 16 * 2 ** 20;

type Gl = WebGL2RenderingContext;
type TexSubImage3D = Gl['texSubImage3D'];
/** A GL upload call with its arguments as given (they are passed on unchanged or re-cut). */
type Upload = (...args: unknown[]) => void;

interface Band {
  readonly y: number;
  readonly rows: number;
  readonly z: number;
  readonly data: ArrayBufferView;
}

/**
 * The bands of rows an upload of `width` x `height` x `depth` from `pixels` splits into, or null when it must go
 * whole. `alignment` is the context's UNPACK_ALIGNMENT; the caller has checked the other unpack state.
 */
export function uploadBands(
  pixels: ArrayBufferView,
  width: number,
  height: number,
  depth: number,
  alignment: number,
  bandBytes = UPLOAD_BAND_BYTES,
): Band[] | null {
  const typed = pixels as ArrayBufferView & { length?: number; BYTES_PER_ELEMENT?: number; subarray?: unknown };
  if (typeof typed.length !== 'number' || typeof typed.BYTES_PER_ELEMENT !== 'number') return null;
  if (typeof typed.subarray !== 'function' || width <= 0 || height <= 0 || depth <= 0) return null;
  if (pixels.byteLength <= SPLIT_ABOVE_BYTES) return null;
  const rowElements = typed.length / (height * depth);
  // Tightly packed rows only: a padded row (alignment) or a view longer than the upload goes whole.
  if (!Number.isInteger(rowElements) || rowElements % width !== 0) return null;
  const rowBytes = rowElements * typed.BYTES_PER_ELEMENT;
  if (rowBytes % alignment !== 0) return null;
  const subarray = (typed.subarray as (begin: number, end: number) => ArrayBufferView).bind(pixels);
  const rowsPerBand = Math.max(1, Math.floor(bandBytes / rowBytes));
  const bands: Band[] = [];
  for (let z = 0; z < depth; z += 1)
    for (let y = 0; y < height; y += rowsPerBand) {
      const rows = Math.min(rowsPerBand, height - y);
      const begin = (z * height + y) * rowElements;
      bands.push({ y, rows, z, data: subarray(begin, begin + rows * rowElements) });
    }
  return bands;
}

/** True when the context's unpack state lets an upload be cut into row bands that land where the whole would. */
function plainUnpack(gl: Gl): boolean {
  return (
    gl.getParameter(gl.PIXEL_UNPACK_BUFFER_BINDING) === null &&
    gl.getParameter(gl.UNPACK_ROW_LENGTH) === 0 &&
    gl.getParameter(gl.UNPACK_SKIP_ROWS) === 0 &&
    gl.getParameter(gl.UNPACK_SKIP_PIXELS) === 0 &&
    gl.getParameter(gl.UNPACK_IMAGE_HEIGHT) === 0 &&
    gl.getParameter(gl.UNPACK_SKIP_IMAGES) === 0 &&
    gl.getParameter(gl.UNPACK_FLIP_Y_WEBGL) === false
  );
}

/** An upload from client memory, from its start, big enough to split (checked before any GL state is read). */
const isLarge = (pixels: unknown, srcOffset: unknown): pixels is ArrayBufferView =>
  ArrayBuffer.isView(pixels) && !srcOffset && pixels.byteLength > SPLIT_ABOVE_BYTES;

const INSTALLED = Symbol.for('mammo-denoise.textureUploadStrips');

/**
 * Installs the split on WebGL2's texImage2D/3D and texSubImage2D/3D (vtk.js uploads image data with one or the
 * other), for the page's life. Returns false where there is no WebGL2 or it is installed already.
 */
export function installTextureUploadStrips(
  proto: (Gl & { [INSTALLED]?: true }) | undefined = globalThis.WebGL2RenderingContext?.prototype,
): boolean {
  if (!proto || proto[INSTALLED]) return false;
  const image2d = proto.texImage2D as Upload;
  const image3d = proto.texImage3D as Upload;
  const sub2d = proto.texSubImage2D as Upload;
  const sub3d = proto.texSubImage3D as Upload;
  // texImage with data = texImage without data (allocates the level) + texSubImage of the data, which is split.
  proto.texImage2D = function (this: Gl, ...args: unknown[]) {
    // The ArrayBufferView form: (target, level, internalformat, width, height, border, format, type, pixels[, offset]).
    const [target, level, internalformat, width, height, border, format, type, pixels, srcOffset] = args;
    if (args.length >= 9 && isLarge(pixels, srcOffset)) {
      image2d.call(this, target, level, internalformat, width, height, border, format, type, null);
      (this.texSubImage2D as Upload).call(this, target, level, 0, 0, width, height, format, type, pixels);
      return;
    }
    image2d.apply(this, args);
  } as Gl['texImage2D'];
  proto.texImage3D = function (this: Gl, ...args: unknown[]) {
    // (target, level, internalformat, width, height, depth, border, format, type, pixels[, srcOffset]).
    const [target, level, internalformat, width, height, depth, border, format, type, pixels, srcOffset] = args;
    if (args.length >= 10 && isLarge(pixels, srcOffset)) {
      image3d.call(this, target, level, internalformat, width, height, depth, border, format, type, null);
      (this.texSubImage3D as Upload).call(this, target, level, 0, 0, 0, width, height, depth, format, type, pixels);
      return;
    }
    image3d.apply(this, args);
  } as Gl['texImage3D'];
  proto.texSubImage2D = function (this: Gl, ...args: unknown[]) {
    // The ArrayBufferView form: (target, level, x, y, width, height, format, type, pixels[, srcOffset]).
    const [target, level, x, y, width, height, format, type, pixels, srcOffset] = args;
    if (args.length >= 9 && isLarge(pixels, srcOffset) && plainUnpack(this)) {
      const bands = uploadBands(pixels, width as number, height as number, 1, this.getParameter(this.UNPACK_ALIGNMENT));
      if (bands) {
        for (const band of bands)
          sub2d.call(this, target, level, x, (y as number) + band.y, width, band.rows, format, type, band.data);
        return;
      }
    }
    sub2d.apply(this, args);
  } as Gl['texSubImage2D'];
  proto.texSubImage3D = function (this: Gl, ...args: unknown[]) {
    // (target, level, x, y, z, width, height, depth, format, type, pixels[, srcOffset]).
    const [target, level, x, y, z, width, height, depth, format, type, pixels, srcOffset] = args;
    if (args.length >= 11 && isLarge(pixels, srcOffset) && plainUnpack(this)) {
      const bands = uploadBands(
        pixels,
        width as number,
        height as number,
        depth as number,
        this.getParameter(this.UNPACK_ALIGNMENT),
      );
      if (bands) {
        for (const band of bands)
          sub3d.call(
            this,
            target,
            level,
            x,
            (y as number) + band.y,
            (z as number) + band.z,
            width,
            band.rows,
            1,
            format,
            type,
            band.data,
          );
        return;
      }
    }
    sub3d.apply(this, args);
  } as TexSubImage3D;
  proto[INSTALLED] = true;
  return true;
}
