/**
 * Processes a test file left behind. Each test file runs in a process of its own
 * (node --test), possibly next to others, so it marks what it creates with
 * {@link TEST_MARK} (its folders' names) and counts as its own only processes
 * that carry that mark in their command line, working folder or environment
 * (an agent's children get TASKWARDEN_WORKSPACE). The suite's last test fails on any.
 */
import * as fs from 'node:fs';

/** The prefix of every folder this test process creates: `tw-test-<pid>-`. */
export const TEST_MARK = `tw-test-${process.pid}-`;

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function cwdOf(pid: string): string {
  try {
    return fs.readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return '';
  }
}

export function leakedProcesses(marker = TEST_MARK): { pid: number; command: string }[] {
  const leaked: { pid: number; command: string }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const command = read(`/proc/${entry}/cmdline`).replace(/\0/g, ' ').trim();
    if (command === '') continue;
    if (command.includes(marker) || cwdOf(entry).includes(marker) || read(`/proc/${entry}/environ`).includes(marker))
      leaked.push({ pid: Number(entry), command });
  }
  return leaked;
}
