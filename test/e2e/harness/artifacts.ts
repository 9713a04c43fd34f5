/**
 * One folder per e2e run for what a person looks at afterwards: screenshots and code-server logs.
 * It is `test-results/e2e-<timestamp>/` in the repo root (gitignored); its absolute path is
 * printed once, when the run first needs it.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './repoRoot';

let runDir: string | undefined;

/** Timestamp usable in a folder name, e.g. `20261124-004958`. */
function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/**
 * The absolute path of this run's artifacts folder (created on first call). `$TASKWARDEN_E2E_ARTIFACTS`
 * overrides the parent folder `test-results/`.
 */
export function runArtifactsDir(): string {
  if (runDir === undefined) {
    const parent = process.env.TASKWARDEN_E2E_ARTIFACTS ?? join(repoRoot(), 'test-results');
    runDir = resolve(parent, `e2e-${timestamp()}-${process.pid}`);
    mkdirSync(runDir, { recursive: true });
    process.stderr.write(`[e2e] screenshots and logs of this run: ${runDir}\n`);
  }
  return runDir;
}
