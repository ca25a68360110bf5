#!/usr/bin/env node
// Entry of `npx ohif-denoise` / `npm run denoise --`: the tool is TypeScript
// run through tsx (a dev dependency of this workspace), like the other scripts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
