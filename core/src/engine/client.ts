import type {
  DenoiseProgress,
  DenoiseRequestOptions,
  DenoiseResult,
  DenoiseSettings,
  EngineConfig,
  EngineErrorKind,
  EngineReady,
  FromWorker,
  StoredImage,
  ToWorker,
} from './types';

/** The part of a Worker the client uses (a real Worker, or an in-process stand-in in tests). */
export interface WorkerLike {
  postMessage(message: ToWorker, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((event: { data: FromWorker }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
}

export class EngineError extends Error {
  constructor(
    message: string,
    readonly kind: EngineErrorKind,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

interface Pending {
  resolve(result: DenoiseResult): void;
  reject(error: EngineError): void;
  onProgress?: (progress: DenoiseProgress) => void;
}

/**
 * Talks to the denoising worker: starts it on first use, loads the model once,
 * runs one request at a time (a new one cancels the old), and stops the worker
 * after `idleMilliseconds` without work. A crashed worker fails its pending
 * request with kind 'crashed' and is started afresh on the next request.
 */
export class DenoiseClient {
  private worker: WorkerLike | null = null;
  private ready: Promise<EngineReady> | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private idleTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly createWorker: () => WorkerLike,
    private readonly config: EngineConfig,
    private readonly idleMilliseconds = 5 * 60_000,
  ) {}

  /** Starts the worker and loads the model if needed; resolves with what runs. */
  start(): Promise<EngineReady> {
    if (this.ready) return this.ready;
    const worker = this.createWorker();
    this.worker = worker;
    this.ready = new Promise<EngineReady>((resolve, reject) => {
      worker.onmessage = ({ data }) => {
        if (data.type === 'ready') resolve(data.ready);
        else if (data.type === 'initFailed') {
          reject(new EngineError(data.message, data.kind));
          this.stop();
        } else this.route(data);
      };
      worker.onerror = (event) => {
        const error = new EngineError(
          `the denoising worker crashed${event.message ? `: ${event.message}` : ''} (it may have run out of memory)`,
          'crashed',
        );
        reject(error);
        this.failAll(error);
        this.stop();
      };
    });
    worker.postMessage({ type: 'init', config: this.config });
    return this.ready;
  }

  async denoise(image: StoredImage, options: DenoiseRequestOptions): Promise<DenoiseResult> {
    await this.start();
    const worker = this.worker;
    if (!worker) throw new EngineError('the denoising worker stopped before the request', 'crashed');
    this.clearIdle();
    const requestId = this.nextId++;
    // Only one request runs; an older one still pending is superseded.
    for (const [id, p] of this.pending) {
      p.reject(new EngineError('superseded by a newer request', 'cancelled'));
      this.pending.delete(id);
    }
    return new Promise<DenoiseResult>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(new EngineError('denoising was cancelled', 'cancelled'));
        return;
      }
      this.pending.set(requestId, { resolve, reject, onProgress: options.onProgress });
      options.signal?.addEventListener(
        'abort',
        () => {
          worker.postMessage({ type: 'cancel', requestId });
          const p = this.pending.get(requestId);
          this.pending.delete(requestId);
          p?.reject(new EngineError('denoising was cancelled', 'cancelled'));
        },
        { once: true },
      );
      // Unless handed over, the worker gets a structured-clone copy: the caller's pixels are never changed.
      const settings: DenoiseSettings = {
        tileSize: options.tileSize,
        halo: options.halo,
        ...(options.sizeMultiple !== undefined ? { sizeMultiple: options.sizeMultiple } : {}),
        ...(options.strength !== undefined ? { strength: options.strength } : {}),
      };
      worker.postMessage(
        { type: 'denoise', requestId, image, settings },
        options.transferPixels ? [image.pixels.buffer] : [],
      );
    });
  }

  /** Terminates the worker now; the next request starts a new one. */
  stop(): void {
    this.clearIdle();
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
  }

  private route(message: FromWorker): void {
    if (message.type !== 'progress' && message.type !== 'result' && message.type !== 'failed') return;
    const p = this.pending.get(message.requestId);
    if (!p) return;
    if (message.type === 'progress') {
      p.onProgress?.(message.progress);
      return;
    }
    this.pending.delete(message.requestId);
    if (message.type === 'result') p.resolve(message.result);
    else p.reject(new EngineError(message.message, message.kind));
    if (this.pending.size === 0) this.armIdle();
  }

  private failAll(error: EngineError): void {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private armIdle(): void {
    this.clearIdle();
    this.idleTimer = setTimeout(() => this.stop(), this.idleMilliseconds);
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}
