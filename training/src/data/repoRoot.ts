import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file holding the workspace package.json with "workspaces". */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (
      existsSync(join(dir, 'package.json')) &&
      existsSync(join(dir, 'training')) &&
      existsSync(join(dir, 'extension'))
    )
      return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('could not find the repository root above training/src');
    dir = parent;
  }
}
