// Runs every *.test.ts under the given folder (or the one file given) with node:test (Node 20's
// --test has no glob support). Usage: node scripts/run-tests.mjs <folder | file> [--serial | --concurrency=N] [--timeout=MS]
// Files run in processes of their own; --serial runs one at a time (the e2e
// suite: one VS Code at a time), --concurrency=N that many at once.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const [folder, ...flags] = process.argv.slice(2);
if (!folder) {
  console.error('usage: node scripts/run-tests.mjs <folder | file> [--serial | --concurrency=N] [--timeout=MS]');
  process.exit(2);
}

function testFiles(dir) {
  if (statSync(dir).isFile()) return dir.endsWith('.test.ts') ? [dir] : [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(full);
      return entry.name.endsWith('.test.ts') ? [full] : [];
    })
    .sort();
}

const files = testFiles(folder);
if (files.length === 0) {
  console.error(`no *.test.ts files under ${folder}`);
  process.exit(1);
}
const args = ['--import', 'tsx', '--test', '--test-reporter=spec'];
if (flags.includes('--serial')) args.push('--test-concurrency=1');
const concurrency = flags.find((flag) => flag.startsWith('--concurrency='));
if (concurrency) args.push(`--test-concurrency=${Number(concurrency.split('=')[1])}`);
// A test that hangs fails after this long instead of stalling the whole run.
const timeout = flags.find((flag) => flag.startsWith('--timeout='));
if (timeout) args.push(`--test-timeout=${Number(timeout.split('=')[1])}`);
const child = spawn(process.execPath, [...args, ...files], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
