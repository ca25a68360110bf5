import * as tf from './src/backend/tf';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './src/backend/wasmGradientKernels';
registerWasmTrainingKernels();
async function grad(backend: string) {
  await tf.setBackend(backend);
  const x = tf.tensor4d(Array.from({length: 2*10*8*3}, (_, i) => Math.sin(i)), [2,10,8,3]);
  const f = tf.tensor4d(Array.from({length: 3*3*3*4}, (_, i) => Math.sin(i*0.3)), [3,3,3,4]);
  const out: any[] = [];
  for (const s of [1, 2]) {
    const [gx, gf] = tf.grads((xx: tf.Tensor4D, ff: tf.Tensor4D) => tf.sum(tf.square(tf.conv2d(xx, ff, s as 1, 'same'))))([x, f]);
    out.push(gx.arraySync(), gf.arraySync());
  }
  const ft = tf.tensor4d(Array.from({length: 3*3*4*3}, (_, i) => Math.sin(i*0.3)), [3,3,4,3]);
  const [gx2, gf2] = tf.grads((xx: tf.Tensor4D, ff: tf.Tensor4D) => tf.sum(tf.square(tf.conv2dTranspose(xx, ff, [2,20,16,4], 2, 'same'))))([x, ft]);
  out.push(gx2.arraySync(), gf2.arraySync(), tf.conv2dTranspose(x, ft, [2,20,16,4], 2, 'same').arraySync());
  return out;
}
const a = await grad('cpu'); const b = await grad('wasm');
a.forEach((ai: any, j: number) => { const fa = ai.flat(10), fb = b[j].flat(10); let m = 0, mx = 0; for (let i=0;i<fa.length;i++) { m = Math.max(m, Math.abs(fa[i]-fb[i])); mx = Math.max(mx, Math.abs(fa[i])); } console.log(j, 'maxdiff', m, 'max', mx, fa.length, fb.length); });
