import { spawn } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(import.meta.dirname ?? '.', '..', '..', 'cli', 'bin', 'ohif-denoise.mjs');

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `ohif-denoise` entry (as npx does) in its own process. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    // Without INIT_CWD (set when the tests run under npm), paths resolve against this process's cwd.
    const { INIT_CWD: _npmCwd, ...inherited } = process.env;
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
