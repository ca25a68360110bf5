// Guards issue 15's error toast on every Denoise in a stack: Cornerstone's
// prefetch of the neighbours' denoised forms must be served (a background job),
// never refused, and the image in view must still come first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DenoiseScheduler, type Rank } from '@mammo-denoise/core';

/** Work that finishes when the test says, and records starts and stops. */
function controllable(log: string[]) {
  const pending = new Map<string, { resolve(v: string): void; reject(e: unknown): void }>();
  const work = (key: string) => (signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      log.push(`start ${key}`);
      pending.set(key, { resolve, reject });
      signal.addEventListener('abort', () => {
        log.push(`stop ${key}`);
        reject(new Error('aborted'));
      });
    });
  const finish = (key: string) => pending.get(key)?.resolve(`done ${key}`);
  const fail = (key: string) => pending.get(key)?.reject(new Error(`broken ${key}`));
  return { work, finish, fail };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test('a background job runs when nothing in view waits, is stopped for the image in view, then resumes', async () => {
  const ranks = new Map<string, Rank>([
    ['a', 1],
    ['b', 1],
  ]);
  const log: string[] = [];
  const { work, finish } = controllable(log);
  const scheduler = new DenoiseScheduler<string>((key) => ranks.get(key) ?? null);
  const a = scheduler.request('a', work('a'), async () => 'fallback a');
  scheduler.request('b', work('b'), async () => 'fallback b');
  assert.deepEqual(log, ['start a'], 'one run at a time');
  ranks.set('b', 0); // the user scrolled to b
  scheduler.reschedule();
  await tick();
  assert.deepEqual(log, ['start a', 'stop a', 'start b']);
  finish('b');
  await tick();
  assert.deepEqual(log.at(-1), 'start a', 'a resumes');
  finish('a');
  assert.equal(await a, 'done a', 'the prefetch is served, not refused');
});

test('a job nobody wants pauses (its promise stays pending) and a dropped one settles with its fallback', async () => {
  const ranks = new Map<string, Rank>([['a', 1]]);
  const log: string[] = [];
  const { work } = controllable(log);
  const scheduler = new DenoiseScheduler<string>((key) => ranks.get(key) ?? null);
  const a = scheduler.request('a', work('a'), async () => 'the original');
  ranks.set('a', null); // Denoise turned off
  scheduler.reschedule();
  await tick();
  assert.deepEqual(log, ['start a', 'stop a']);
  assert.ok(scheduler.has('a'), 'kept, paused');
  scheduler.drop('a'); // its cache entry was purged (the study was left)
  assert.equal(await a, 'the original');
});

test('a failure in the background waits for its image to come into view; a failure in view rejects', async () => {
  const ranks = new Map<string, Rank>([['a', 1]]);
  const log: string[] = [];
  const { work, fail } = controllable(log);
  const scheduler = new DenoiseScheduler<string>((key) => ranks.get(key) ?? null);
  const a = scheduler.request('a', work('a'), async () => 'fallback');
  let settled = false;
  a.then(
    () => (settled = true),
    () => (settled = true),
  );
  fail('a');
  await tick();
  assert.equal(settled, false, 'no error for an image nobody looks at');
  ranks.set('a', 0);
  scheduler.reschedule();
  await tick();
  assert.deepEqual(log, ['start a', 'start a'], 'tried again in view');
  fail('a');
  await assert.rejects(a, /broken a/);
});

test('the same image asked for twice shares one run; in view, the newest request runs first', async () => {
  const ranks = new Map<string, Rank>([
    ['a', 0],
    ['b', 0],
    ['c', 0],
  ]);
  const log: string[] = [];
  const { work, finish } = controllable(log);
  const scheduler = new DenoiseScheduler<string>((key) => ranks.get(key) ?? null);
  const first = scheduler.request('a', work('a'), async () => '');
  const again = scheduler.request('a', work('a'), async () => '');
  assert.equal(first, again);
  scheduler.request('b', work('b'), async () => '');
  scheduler.request('c', work('c'), async () => '');
  finish('a');
  await tick();
  assert.deepEqual(log, ['start a', 'start c']);
});
