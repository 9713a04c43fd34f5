/**
 * Processes a test left behind: anything whose command line mentions a test
 * workspace (tw-test-*) or a fixture program. The suite's last test fails on any.
 */
import * as fs from 'node:fs';

export function leakedProcesses(marker = 'tw-test-'): { pid: number; command: string }[] {
  const leaked: { pid: number; command: string }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let command: string;
    try {
      command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      continue;
    }
    if (command.includes(marker) || command.includes('test/fixtures/programs/')) leaked.push({ pid: Number(entry), command });
  }
  return leaked;
}
