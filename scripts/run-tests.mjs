// Runs every *.test.ts under the given folder with node:test (Node 20's --test
// has no glob support). Usage: node scripts/run-tests.mjs <folder> [--serial]
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const [folder, ...flags] = process.argv.slice(2);
if (!folder) {
  console.error('usage: node scripts/run-tests.mjs <folder> [--serial]');
  process.exit(2);
}

function testFiles(dir) {
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
const child = spawn(process.execPath, [...args, ...files], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
