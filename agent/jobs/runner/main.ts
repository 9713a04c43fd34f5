/**
 * The job handler runner (dist/jobHandlerRunner.js): `node jobHandlerRunner.js
 * WORKSPACE HANDLER_FILE REQUEST_FILE RESULT_FILE`, started by the agent as a
 * supervised run for one run of a user handler, so that user code never runs
 * in the agent and each run loads the handler afresh (an edit applies at the
 * next run). It loads the module (agent/userCode/), checks the params against
 * its `schema`, calls `handle(job, ctx)` (ctx: `log`, `signal` aborted at the
 * time limit, `agent`) and writes what it returned to RESULT_FILE. With
 * `--schema HANDLER_FILE` it only prints the module's schema (for the config
 * check). A throw or
 * rejection is UNKNOWN with the error; a hang is the agent's to kill.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MessageConnection } from 'vscode-jsonrpc';
import { connectToAgent } from '../../cli/agentClient';
import { createUserAgentApi } from '../../userAgentApi';
import { loadUserModule } from '../../userCode/moduleLoader';
import { paramsProblem } from '../handlers/paramsValidation';
import type { RunnerRequest, RunnerResult } from './runnerFiles';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function run(workspace: string, file: string, request: RunnerRequest): Promise<RunnerResult> {
  const loaded = await loadUserModule(file);
  const where = path.relative(workspace, file);
  if (!loaded.ok)
    return {
      state: 3,
      output: `could not load ${where}${loaded.error.line === null ? '' : `:${loaded.error.line}`}: ${loaded.error.message}`,
    };
  const { schema, handle } = loaded.value as { schema?: unknown; handle?: unknown };
  if (typeof handle !== 'function') return { state: 3, output: `${where} exports no handle(job, ctx) function` };
  if (typeof schema === 'object' && schema !== null) {
    const problem = paramsProblem(schema, request.job.params);
    if (problem !== null) return { state: 2, output: `Invalid job: ${problem}` };
  }
  const controller = new AbortController();
  setTimeout(() => controller.abort(), request.timeLimitMs).unref();
  let connection: MessageConnection | null = null;
  const agent = createUserAgentApi(() => {
    if (connection === null) throw new Error('ctx.agent is connecting; await a call to it');
    return connection;
  });
  const connected = await connectToAgent(workspace, 'job handler');
  if (connected.ok) connection = connected.value.connection;
  const ctx = {
    log: (...values: unknown[]) =>
      process.stdout.write(`${values.map((value) => (typeof value === 'string' ? value : JSON.stringify(value))).join(' ')}\n`),
    signal: controller.signal,
    agent,
  };
  try {
    return { returned: await (handle as (job: unknown, context: unknown) => unknown)(request.job, ctx) };
  } catch (error: unknown) {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return { state: 3, output: `the handler threw: ${errorText(error)}` };
  } finally {
    if (connected.ok) connected.value.close();
  }
}

/** `--schema FILE`: loads the module and prints what it exports as `schema`, as the last line (handlers/userSchemas.ts). */
async function printSchema(file: string): Promise<void> {
  const loaded = await loadUserModule(file);
  const line = loaded.ok
    ? JSON.stringify({ schema: (loaded.value as { schema?: unknown }).schema ?? null })
    : JSON.stringify({ error: `${loaded.error.message}${loaded.error.line === null ? '' : ` (line ${loaded.error.line})`}` });
  process.stdout.write(`\n${line}\n`, () => process.exit(0));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--schema' && process.argv[3] !== undefined) return printSchema(process.argv[3]);
  const [workspace, file, requestFile, resultFile] = process.argv.slice(2);
  if (workspace === undefined || file === undefined || requestFile === undefined || resultFile === undefined) {
    process.stderr.write('usage: jobHandlerRunner WORKSPACE HANDLER_FILE REQUEST_FILE RESULT_FILE\n');
    process.exit(2);
  }
  const request = JSON.parse(fs.readFileSync(requestFile, 'utf8')) as RunnerRequest;
  const result = await run(workspace, file, request);
  let text: string;
  try {
    text = JSON.stringify(result);
  } catch (error: unknown) {
    text = JSON.stringify({ state: 3, output: `the handler returned a value that is not JSON: ${errorText(error)}` });
  }
  fs.writeFileSync(resultFile, text ?? JSON.stringify({ returned: null }));
  process.exit(0);
}

void main();
