/**
 * Orders the model runs of the viewer: one at a time (one engine, and a
 * 5355x4915 image holds a lot of memory while it runs), the image in view
 * first, the rest of the stack in the background.
 *
 * Why a scheduler: Cornerstone prefetches the neighbours of the image in view,
 * and with Denoise on those are denoised ids. A refused prefetch becomes an
 * unhandled rejection inside Cornerstone (its request pool and its cache both
 * rethrow), which OHIF shows as "Something went wrong". So a prefetch is
 * served: it becomes a background job, which runs when nothing in view waits,
 * is stopped (and kept) while an image in view needs the engine, and pauses
 * when no viewport wants it any more. A job's promise rejects only for a
 * failure of an image in view; a background failure waits until its image
 * comes into view and is tried again there, so the user sees the error on the
 * image it belongs to.
 */

/** 0: in view (or awaited by a command); 1: wanted soon (in a viewport's stack); null: not wanted now (paused). */
export type Rank = 0 | 1 | null;

export type Work<T> = (signal: AbortSignal) => Promise<T>;

interface Job<T> {
  readonly key: string;
  readonly work: Work<T>;
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
  /** What the promise settles with when the job is dropped (its image left the cache). */
  readonly fallback: () => Promise<T>;
  status: 'waiting' | 'running' | 'failed';
  controller: AbortController | null;
  /** Set when the scheduler itself stopped the run, to keep the job instead of failing it. */
  stoppedByScheduler: boolean;
  /** Order of the last request: the newest job in view runs first. */
  requested: number;
}

export class DenoiseScheduler<T> {
  private readonly jobs = new Map<string, Job<T>>();
  private running: Job<T> | null = null;
  private counter = 0;

  constructor(private readonly rankOf: (key: string) => Rank) {}

  /**
   * The result for `key`: a job asked for again shares the first request's
   * promise (and its work). Starts it now if it is the best job to run.
   */
  request(key: string, work: Work<T>, fallback: () => Promise<T>): Promise<T> {
    let job = this.jobs.get(key);
    if (!job) {
      let resolve!: (value: T) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      job = {
        key,
        work,
        promise,
        resolve,
        reject,
        fallback,
        status: 'waiting',
        controller: null,
        stoppedByScheduler: false,
        requested: 0,
      };
      this.jobs.set(key, job);
    }
    job.requested = ++this.counter;
    this.reschedule();
    return job.promise;
  }

  has(key: string): boolean {
    return this.jobs.has(key);
  }

  /** The key of the job the engine works on now, if any. */
  runningKey(): string | null {
    return this.running?.key ?? null;
  }

  /**
   * Re-reads every job's rank (call it when what the viewports show changes):
   * stops the running job when it is no longer wanted or a better one waits,
   * and starts the best waiting one.
   */
  reschedule(): void {
    const best = this.best();
    const running = this.running;
    if (running) {
      const rank = this.rankOf(running.key);
      const better = best !== null && best.rank !== null && (rank === null || best.rank < rank);
      if (rank !== null && !better) return;
      running.stoppedByScheduler = true;
      running.controller?.abort();
      // The run settles asynchronously; the next job starts from its settlement.
      return;
    }
    if (best?.job) this.start(best.job);
  }

  /** Forgets a job (its image left the cache): stops its run and settles its promise with the fallback. */
  drop(key: string): void {
    const job = this.jobs.get(key);
    if (!job) return;
    this.jobs.delete(key);
    if (this.running === job) {
      job.stoppedByScheduler = true;
      job.controller?.abort();
    }
    job.fallback().then(job.resolve, job.reject);
  }

  private best(): { job: Job<T> | null; rank: Rank } | null {
    let found: Job<T> | null = null;
    let foundRank: Rank = null;
    for (const job of this.jobs.values()) {
      if (job === this.running) continue;
      const rank = this.rankOf(job.key);
      if (rank === null) continue;
      // A job that failed in the background is tried again only in view.
      if (job.status === 'failed' && rank !== 0) continue;
      // Lower rank first; in view, the newest request first; in the background, the oldest first.
      const better =
        found === null ||
        foundRank === null ||
        rank < foundRank ||
        (rank === foundRank && (rank === 0 ? job.requested > found.requested : job.requested < found.requested));
      if (better) {
        found = job;
        foundRank = rank;
      }
    }
    return found ? { job: found, rank: foundRank } : null;
  }

  private start(job: Job<T>): void {
    const controller = new AbortController();
    job.controller = controller;
    job.status = 'running';
    job.stoppedByScheduler = false;
    this.running = job;
    void job.work(controller.signal).then(
      (value) => {
        this.finish(job);
        if (this.jobs.get(job.key) === job) this.jobs.delete(job.key);
        job.resolve(value);
        this.reschedule();
      },
      (error: unknown) => {
        this.finish(job);
        if (this.jobs.get(job.key) !== job) {
          // Dropped while it ran: drop() has settled it.
        } else if (job.stoppedByScheduler) {
          job.status = 'waiting';
        } else if (this.rankOf(job.key) === 0) {
          this.jobs.delete(job.key);
          job.reject(error);
        } else {
          job.status = 'failed';
        }
        this.reschedule();
      },
    );
  }

  private finish(job: Job<T>): void {
    if (this.running === job) this.running = null;
    job.controller = null;
  }
}
