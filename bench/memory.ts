#!/usr/bin/env node
/**
 * npx tsx bench/memory.ts: only the memory figure of npm run bench
 * (issue 15's floor; needs the bundles in dist/, e.g. after npm start).
 */
import { describeMemoryFloor, measureMemoryFloor } from './memoryCase';

console.log(describeMemoryFloor(await measureMemoryFloor()));
