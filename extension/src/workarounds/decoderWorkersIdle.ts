/**
 * WORKAROUND. Upstream issue: cornerstonejs/cornerstoneWADOImageLoader#225 (decoding through workers
 *   doubles memory; open).
 * Delete when: the DICOM image loader registers its decode workers with autoTerminateOnIdle, or OHIF's app
 *   config can ask for it (re-check on each OHIF upgrade).
 *
 * Upstream memory workaround (@cornerstonejs/dicom-image-loader 5.x as
 * bundled by OHIF 3.13.2, `init.js`): the decode workers ('dicomImageLoader')
 * are registered without `autoTerminateOnIdle`, and each decode clones the
 * whole Part 10 file into a worker (`decodeImageFrame.js` computes a transfer
 * list and never passes it). An idle worker rarely collects garbage, so it
 * keeps the copies of the last files it decoded: measured 250-330 MB of the
 * renderer for 5355x4915 16-bit mammograms (issue 15's memory probe). Known
 * upstream as cornerstonejs/cornerstoneWADOImageLoader#225 (decoding through
 * workers doubles memory; open). OHIF's own histogram worker is registered
 * with this option; here the decoders get it too, so a worker idle for
 * `idleMilliseconds` ends and frees everything, and the next decode starts a
 * fresh one (tens of milliseconds). Delete once the loader registers its
 * workers with autoTerminateOnIdle or OHIF's app config can ask for it.
 */

export const DECODER_WORKER_NAME = 'dicomImageLoader';

/** Cornerstone's default idle threshold for workers that end when idle. */
export const DECODER_IDLE_MILLISECONDS = 3_000;

/**
 * The fields of Cornerstone's worker registration this reads and
 * changes (CentralizedWorkerManager.workerRegistry entries).
 */
interface WorkerRegistration {
  autoTerminateOnIdle?: boolean;
  idleTimeThreshold?: number;
  idleCheckIntervalId?: ReturnType<typeof setInterval> | null;
  instances: unknown[];
  loadCounters: number[];
  lastActiveTime: Array<number | null>;
}

export interface WorkerManagerLike {
  workerRegistry?: Record<string, WorkerRegistration | undefined>;
  terminateIdleWorkers(workerName: string, idleTimeThreshold: number): void;
  terminateWorkerInstance(workerName: string, index: number): void;
}

/**
 * Ends the decode workers that have finished a task and been idle longer
 * than `threshold`. Cornerstone's own check also ends a worker busy with its
 * first task (its last active time is still null) when another finishes, so
 * that decode would never settle; this one never ends a busy worker.
 */
function endIdle(manager: WorkerManagerLike, registration: WorkerRegistration, threshold: number): void {
  const now = Date.now();
  registration.instances.forEach((instance, index) => {
    const last = registration.lastActiveTime[index] ?? null;
    if (instance === null || (registration.loadCounters[index] ?? 0) > 0 || last === null) return;
    if (now - last > threshold) manager.terminateWorkerInstance(DECODER_WORKER_NAME, index);
  });
}

/**
 * Makes the decode workers end when idle. Returns what undoes it (mode exit),
 * or null when the loader has not registered its workers (nothing changed).
 * `manager` is Cornerstone's getWebWorkerManager(), whose registry is not part
 * of its typed API; checked at run time.
 */
export function endIdleDecoderWorkers(
  manager: unknown,
  idleMilliseconds = DECODER_IDLE_MILLISECONDS,
): (() => void) | null {
  const workers = manager as WorkerManagerLike | null;
  const registration = workers?.workerRegistry?.[DECODER_WORKER_NAME];
  if (
    !workers ||
    !registration ||
    typeof workers.terminateIdleWorkers !== 'function' ||
    typeof workers.terminateWorkerInstance !== 'function'
  )
    return null;
  const before = {
    autoTerminateOnIdle: registration.autoTerminateOnIdle,
    idleTimeThreshold: registration.idleTimeThreshold,
  };
  const ownCheck = workers.terminateIdleWorkers;
  const hadOwnCheck = Object.prototype.hasOwnProperty.call(workers, 'terminateIdleWorkers');
  // The manager starts its idle check after the next task and calls this method with our threshold.
  workers.terminateIdleWorkers = function terminateIdleWorkers(
    this: WorkerManagerLike,
    workerName: string,
    threshold: number,
  ) {
    if (workerName === DECODER_WORKER_NAME) endIdle(workers, registration, threshold);
    else ownCheck.call(this, workerName, threshold);
  };
  registration.autoTerminateOnIdle = true;
  registration.idleTimeThreshold = idleMilliseconds;
  return () => {
    if (hadOwnCheck) workers.terminateIdleWorkers = ownCheck;
    else delete (workers as Partial<WorkerManagerLike>).terminateIdleWorkers;
    registration.autoTerminateOnIdle = before.autoTerminateOnIdle;
    registration.idleTimeThreshold = before.idleTimeThreshold;
    if (!before.autoTerminateOnIdle && registration.idleCheckIntervalId) {
      clearInterval(registration.idleCheckIntervalId);
      registration.idleCheckIntervalId = null;
    }
  };
}
