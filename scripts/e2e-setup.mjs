// Prepares a machine for the e2e tests (test/e2e): installs code-server 4.96.4 into the cache
// outside the repo (see test/e2e/harness/codeServerInstall.ts) and checks that Chromium is there.
// CI runs it once before `npm run test:e2e` so the install time is not charged to the first test.
// Usage: node scripts/e2e-setup.mjs
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.TASKWARDEN_E2E_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`Chromium is missing at ${chromium}: run \`apt-get install -y chromium\`.`);
  process.exit(1);
}
// The harness is TypeScript: run it through tsx, like the tests do.
const script =
  "require('./test/e2e/harness/codeServerInstall').ensureCodeServer()" +
  ".then((entry) => console.log('code-server ready: ' + entry))" +
  '.catch((error) => { console.error(error); process.exit(1); })';
const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { stdio: 'inherit' });
process.exit(result.status ?? 1);
