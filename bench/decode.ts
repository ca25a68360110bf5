#!/usr/bin/env node
/** npx tsx bench/decode.ts: only the decoder's figure of npm run bench (no viewer, no model). */
import { describeDecodeTiming, timeJpeg2000Decode } from './decodeCase';

console.log(describeDecodeTiming(await timeJpeg2000Decode()));
