#!/usr/bin/env node
/**
 * npx tsx bench/screening.ts: only issue 16's figures of npm run bench (Denoise-all ratio and
 * the four-view memory; --memory-only) (needs the bundles in dist/, e.g. after npm start).
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  describeDenoiseAll,
  describeScreeningMemory,
  measureDenoiseAll,
  measureScreeningMemory,
} from './screeningCase';

const models = join(resolve(fileURLToPath(new URL('..', import.meta.url))), 'models');
if (process.argv.includes('--memory-only')) console.log(describeScreeningMemory(await measureScreeningMemory()));
else {
  console.log(describeDenoiseAll(await measureDenoiseAll(models)));
  console.log(`\n${describeScreeningMemory(await measureScreeningMemory())}`);
}
