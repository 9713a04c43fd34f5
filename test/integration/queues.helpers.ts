/**
 * What the queue integration tests share: the CLI against a test workspace (`-w DIR` first, so
 * that nothing lands after a `--` command), and the same call asserting exit 0.
 */
import assert from 'node:assert/strict';
import type { CliResult, TestWorkspace } from './support/workspace';
import { runCli } from './support/workspace';

/** `taskwarden -w DIR ARGS…`, with `input` on its stdin. */
export function queueCli(ws: TestWorkspace, args: string[], input?: string): Promise<CliResult> {
  return runCli(['-w', ws.dir, ...args], { cwd: ws.dir, ...(input === undefined ? {} : { input }) });
}

/** {@link queueCli} that must succeed; its stdout. */
export async function queueOk(ws: TestWorkspace, args: string[], input?: string): Promise<string> {
  const result = await queueCli(ws, args, input);
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}
