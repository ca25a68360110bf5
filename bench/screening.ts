#!/usr/bin/env node
/**
 * npx tsx bench/screening.ts: only issue 16's figures of npm run bench (Denoise-all ratio and
 * the four-view memory; --memory-only) (needs the bundles in dist/, e.g. after npm start).
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as screening from './screeningCase';

const models = join(resolve(fileURLToPath(new URL('..', import.meta.url))), 'models');
const memory = async () => screening.describeScreeningMemory(await screening.measureScreeningMemory());
if (process.argv.includes('--memory-only')) console.log(await memory());
else console.log(`${screening.describeDenoiseAll(await screening.measureDenoiseAll(models))}\n\n${await memory()}`);
