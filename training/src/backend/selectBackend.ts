import * as tf from './tf';
import { registerWasmTrainingKernels } from './wasmGradientKernels';

export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

export interface SelectedBackend {
  /** tfjs backend name now active: "tensorflow", "wasm" or "cpu". */
  readonly name: string;
  /** Human-readable: what runs, and why each faster option was skipped. */
  readonly report: string[];
}

/** Optional native bindings, fastest first. They are optional peers: npm ci never downloads libtensorflow. */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

async function tryNative(report: string[]): Promise<boolean> {
  for (const pkg of NATIVE_PACKAGES) {
    try {
      // A variable specifier keeps bundlers and tsc from requiring the optional package.
      const specifier: string = pkg;
      await import(specifier);
      if (await tf.setBackend('tensorflow')) {
        report.push(`using tensorflow (${pkg}, native libtensorflow)`);
        return true;
      }
      report.push(`skipped ${pkg}: loaded but its backend did not initialise`);
    } catch (error) {
      const why =
        (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND'
          ? 'not installed'
          : (error as Error).message.split('\n')[0];
      report.push(`skipped ${pkg}: ${why}`);
    }
  }
  return false;
}

async function tryWasm(report: string[]): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmTrainingKernels();
    if (await tf.setBackend('wasm')) {
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
      report.push(
        `using wasm (XNNPACK, simd ${simd ? 'on' : 'off'}, ` +
          `threads ${threads ? 'on' : 'off'}; Conv2DBackpropFilter is the project's own kernel)`,
      );
      return true;
    }
    report.push('skipped wasm: backend did not initialise');
  } catch (error) {
    report.push(`skipped wasm: ${(error as Error).message.split('\n')[0]}`);
  }
  return false;
}

/**
 * auto: tfjs-node-gpu, then tfjs-node, then wasm, then cpu (pure JS, about
 * 16x slower than wasm for this network). A named backend that cannot start is
 * an error, not a silent fallback.
 */
export async function selectBackend(choice: BackendChoice): Promise<SelectedBackend> {
  const report: string[] = [];
  const ok =
    (choice === 'auto' && ((await tryNative(report)) || (await tryWasm(report)))) ||
    (choice === 'tensorflow' && (await tryNative(report))) ||
    (choice === 'wasm' && (await tryWasm(report)));
  if (!ok) {
    if (choice !== 'auto' && choice !== 'cpu') {
      throw new Error(
        `backend "${choice}" is not available here:\n  ${report.join('\n  ')}\nUse --backend auto to fall back.`,
      );
    }
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    report.push('using cpu (pure JavaScript, slowest)');
  }
  await tf.ready();
  return { name: tf.getBackend(), report };
}
