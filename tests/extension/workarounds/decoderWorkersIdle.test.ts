// Issue 15 (memory): Cornerstone's decode workers kept 250-330 MB of copies of
// the files they decoded while idle. They now end when idle, and never while
// they decode (Cornerstone's own idle check ends a worker busy with its first
// task, whose decode would then never settle).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DECODER_WORKER_NAME, endIdleDecoderWorkers } from '@mammo-denoise/ohif-extension-denoise/internals';

/** Cornerstone's CentralizedWorkerManager, reduced to what the workaround touches; records which instances ended. */
class FakeManager {
  readonly ended: Array<[string, number]> = [];
  readonly workerRegistry: Record<
    string,
    {
      autoTerminateOnIdle: boolean;
      idleTimeThreshold: number;
      idleCheckIntervalId: null;
      instances: unknown[];
      loadCounters: number[];
      lastActiveTime: Array<number | null>;
    }
  > = {};
  ownChecks = 0;
  terminateIdleWorkers(_name: string, _threshold: number): void {
    this.ownChecks += 1;
  }
  terminateWorkerInstance(name: string, index: number): void {
    this.ended.push([name, index]);
    const r = this.workerRegistry[name]!;
    r.instances[index] = null;
    r.lastActiveTime[index] = null;
  }
}

const registration = (lastActiveTime: Array<number | null>, loadCounters: number[]) => ({
  autoTerminateOnIdle: false,
  idleTimeThreshold: 3000,
  idleCheckIntervalId: null,
  instances: lastActiveTime.map(() => ({})),
  loadCounters,
  lastActiveTime,
});

test('ends only decode workers idle past the threshold, never a busy one or one on its first task', () => {
  const manager = new FakeManager();
  const now = Date.now();
  // 0: idle 10 s; 1: busy (active before); 2: busy with its first task; 3: idle 1 s.
  manager.workerRegistry[DECODER_WORKER_NAME] = registration(
    [now - 10_000, now - 10_000, null, now - 1_000],
    [0, 1, 1, 0],
  );
  manager.workerRegistry['histogram-worker'] = registration([now - 10_000], [0]);
  const restore = endIdleDecoderWorkers(manager, 3000);
  assert.ok(restore);
  assert.equal(manager.workerRegistry[DECODER_WORKER_NAME]!.autoTerminateOnIdle, true);
  manager.terminateIdleWorkers(DECODER_WORKER_NAME, 3000);
  assert.deepEqual(manager.ended, [[DECODER_WORKER_NAME, 0]]);
  // Other workers keep Cornerstone's own check.
  manager.terminateIdleWorkers('histogram-worker', 1000);
  assert.equal(manager.ownChecks, 1);
  restore();
  assert.equal(manager.workerRegistry[DECODER_WORKER_NAME]!.autoTerminateOnIdle, false);
  manager.terminateIdleWorkers(DECODER_WORKER_NAME, 3000);
  assert.equal(manager.ownChecks, 2, "mode exit restores Cornerstone's check");
});

test('does nothing before the loader registered its workers', () => {
  assert.equal(endIdleDecoderWorkers(new FakeManager()), null);
  assert.equal(endIdleDecoderWorkers(undefined), null);
});
