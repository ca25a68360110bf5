#!/usr/bin/env node
/** npx tsx bench/screening.ts: only issue 16's Denoise-all figure of npm run bench (needs the bundles in dist/, e.g. after npm start). */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeDenoiseAll, measureDenoiseAll } from './screeningCase';

const models = join(resolve(fileURLToPath(new URL('..', import.meta.url))), 'models');
console.log(describeDenoiseAll(await measureDenoiseAll(models)));
