// Large texture uploads are sent as bands of rows: the same bytes reach the
// same texels, and anything the split could place differently goes whole.
// The context is a recorder with WebGL2's enum values (no GL here; the
// browser tests draw through the real one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  installTextureUploadStrips,
  SPLIT_ABOVE_BYTES,
  UPLOAD_BAND_BYTES,
  uploadBands,
} from '@mammo-denoise/ohif-extension-denoise/internals';

const GL = {
  TEXTURE_2D: 3553,
  TEXTURE_3D: 32879,
  R32F: 33326,
  RED: 6403,
  FLOAT: 5126,
  UNPACK_ALIGNMENT: 3317,
  UNPACK_ROW_LENGTH: 3314,
  UNPACK_SKIP_ROWS: 3315,
  UNPACK_SKIP_PIXELS: 3316,
  UNPACK_IMAGE_HEIGHT: 32878,
  UNPACK_SKIP_IMAGES: 32877,
  UNPACK_FLIP_Y_WEBGL: 37440,
  PIXEL_UNPACK_BUFFER_BINDING: 35055,
};

type Call = { name: string; args: unknown[] };

/** A WebGL2-like prototype that records uploads; `state` is the unpack state getParameter reports. */
function recorder(state: Partial<Record<number, unknown>> = {}) {
  const calls: Call[] = [];
  const params: Record<number, unknown> = {
    [GL.UNPACK_ALIGNMENT]: 1,
    [GL.UNPACK_ROW_LENGTH]: 0,
    [GL.UNPACK_SKIP_ROWS]: 0,
    [GL.UNPACK_SKIP_PIXELS]: 0,
    [GL.UNPACK_IMAGE_HEIGHT]: 0,
    [GL.UNPACK_SKIP_IMAGES]: 0,
    [GL.UNPACK_FLIP_Y_WEBGL]: false,
    [GL.PIXEL_UNPACK_BUFFER_BINDING]: null,
    ...state,
  };
  const record =
    (name: string) =>
    (...args: unknown[]) =>
      void calls.push({ name, args });
  const proto = {
    ...GL,
    getParameter: (p: number) => params[p],
    texImage2D: record('texImage2D'),
    texImage3D: record('texImage3D'),
    texSubImage2D: record('texSubImage2D'),
    texSubImage3D: record('texSubImage3D'),
  };
  assert.equal(installTextureUploadStrips(proto as unknown as WebGL2RenderingContext), true);
  assert.equal(installTextureUploadStrips(proto as unknown as WebGL2RenderingContext), false, 'installed once');
  return { gl: Object.create(proto) as WebGL2RenderingContext, calls };
}

/** A float image whose every texel holds its own index, so a band's first value says where it came from. */
const indexed = (width: number, height: number, depth = 1) =>
  Float32Array.from({ length: width * height * depth }, (_, i) => i);

test('a large texImage2D becomes an allocation and row bands that cover the image once, in order', () => {
  const { gl, calls } = recorder();
  const width = 1000;
  const height = 5000; // 20 MB of float
  const pixels = indexed(width, height);
  gl.texImage2D(GL.TEXTURE_2D, 0, GL.R32F, width, height, 0, GL.RED, GL.FLOAT, pixels);
  assert.deepEqual(calls[0], {
    name: 'texImage2D',
    args: [GL.TEXTURE_2D, 0, GL.R32F, width, height, 0, GL.RED, GL.FLOAT, null],
  });
  const bands = calls.slice(1);
  assert.ok(bands.length > 1 && bands.every((c) => c.name === 'texSubImage2D'));
  let row = 0;
  for (const { args } of bands) {
    const [target, level, x, y, w, rows, format, type, data] = args as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      Float32Array,
    ];
    assert.deepEqual([target, level, x, y, w, format, type], [GL.TEXTURE_2D, 0, 0, row, width, GL.RED, GL.FLOAT]);
    assert.equal(data.length, rows * width);
    assert.equal(data[0], row * width, `band at row ${row} starts with that row's first texel`);
    assert.equal(data.buffer, pixels.buffer, 'a view, not a copy');
    assert.ok(data.byteLength <= UPLOAD_BAND_BYTES);
    row += rows;
  }
  assert.equal(row, height);
});

test('texImage3D and texSubImage3D split per slice and rows, at the upload offset', () => {
  const { gl, calls } = recorder();
  const pixels = indexed(2048, 1200, 2); // 19.7 MB
  gl.texSubImage3D(GL.TEXTURE_3D, 0, 3, 5, 7, 2048, 1200, 2, GL.RED, GL.FLOAT, pixels);
  const placed = calls.map(({ args }) => {
    const [, , x, y, z, , rows, depth, , , data] = args as number[] & [...number[], Float32Array];
    return { x, y, z, rows, depth, first: (data as unknown as Float32Array)[0] };
  });
  assert.ok(placed.every((p) => p.x === 3 && p.depth === 1));
  assert.equal(
    placed.reduce((n, p) => n + (p.rows as number), 0),
    2 * 1200,
  );
  for (const p of placed)
    assert.equal(p.first, ((p.z as number) - 7) * 2048 * 1200 + ((p.y as number) - 5) * 2048, 'texel at its place');
  calls.length = 0;
  gl.texImage3D(GL.TEXTURE_3D, 0, GL.R32F, 2048, 1200, 2, 0, GL.RED, GL.FLOAT, pixels);
  assert.equal(calls[0]?.name, 'texImage3D');
  assert.equal(calls[0]?.args[9], null);
  assert.ok(calls.slice(1).every((c) => c.name === 'texSubImage3D'));
});

test('what the split could place differently, and small uploads, go whole as before', () => {
  const big = indexed(1000, 5000);
  const whole = (state: Partial<Record<number, unknown>>, call: (gl: WebGL2RenderingContext) => void) => {
    const { gl, calls } = recorder(state);
    call(gl);
    assert.equal(calls.length, 1, JSON.stringify(state));
  };
  const upload = (gl: WebGL2RenderingContext) =>
    gl.texSubImage2D(GL.TEXTURE_2D, 0, 0, 0, 1000, 5000, GL.RED, GL.FLOAT, big);
  whole({ [GL.UNPACK_FLIP_Y_WEBGL]: true }, upload);
  whole({ [GL.UNPACK_ROW_LENGTH]: 2000 }, upload);
  whole({ [GL.UNPACK_SKIP_ROWS]: 1 }, upload);
  whole({ [GL.PIXEL_UNPACK_BUFFER_BINDING]: {} }, upload);
  whole({}, (gl) => gl.texSubImage2D(GL.TEXTURE_2D, 0, 0, 0, 1000, 4000, GL.RED, GL.FLOAT, big, 1000));
  whole({}, (gl) => gl.texSubImage2D(GL.TEXTURE_2D, 0, 0, 0, 100, 100, GL.RED, GL.FLOAT, indexed(100, 100)));
  assert.ok(indexed(100, 100).byteLength < SPLIT_ABOVE_BYTES);
});

test('uploadBands refuses padded or mismatched rows', () => {
  const bytes = new Uint8Array(4099 * 5000); // 3-byte-aligned rows of 4099 bytes: padded at alignment 4
  assert.equal(uploadBands(bytes, 4099, 5000, 1, 4), null);
  assert.ok(uploadBands(bytes, 4099, 5000, 1, 1));
  assert.equal(uploadBands(bytes, 4099, 4999, 1, 1), null, 'a view longer than the upload');
});
