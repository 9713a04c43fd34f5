/**
 * `npm run bench`: measures Taskwarden next to PM2 and supervisord, in the same run, against a
 * bare Node floor and a C floor, and prints one table with the ratios. See bench/README.md for
 * what each scenario measures and the BENCH_* variables (BENCH_QUICK=1 for a short run).
 * Whatever happens, every process and temporary folder the run created is removed at the end.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHelpers } from './build';
import { Cleanup, MARKER_VARIABLE, removeFolder, sweepMarked } from './cleanup';
import { CONFIG_HELP, readConfig, type BenchConfig } from './config';
import { describeMachine, formatSnapshot, loadAverage, snapshot } from './machine';
import { buildRows, type AllOutcomes } from './rows';
import { prepareFleets } from './scenarios/fleet';
import { runIdle } from './scenarios/idle';
import { runLog } from './scenarios/log';
import { runRestart } from './scenarios/restart';
import { runStartStop } from './scenarios/startStop';
import { runFeedback } from './scenarios/feedback';
import { runJobs } from './scenarios/jobs';
import { runGroups } from './scenarios/groups';
import { runTasks } from './scenarios/tasks';
import { runQueues } from './scenarios/queues';
import { runResources } from './scenarios/resources';
import { errorMessage, type BenchContext, type Subject } from './subject';
import { makeSubjects } from './subjects';
import { renderTable } from './table';

const benchRoot = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchRoot);

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Load average at the start and end of each scenario, kept with the raw samples. */
const loadLog: Array<{ scenario: string; startLoad: number[]; endLoad: number[] }> = [];

async function scenario(name: string, what: string, body: () => Promise<void>): Promise<void> {
  const startLoad = loadAverage();
  log(`\n== ${name}: ${what} (load average ${startLoad.join(' ')})`);
  const started = Date.now();
  try {
    await body();
  } catch (error: unknown) {
    log(`  ${name} failed: ${errorMessage(error)}`);
  }
  const endLoad = loadAverage();
  loadLog.push({ scenario: name, startLoad, endLoad });
  log(`  (${((Date.now() - started) / 1000).toFixed(0)} s, load average ${endLoad.join(' ')})`);
}

async function runScenarios(context: BenchContext, config: BenchConfig, subjects: Subject[]): Promise<AllOutcomes> {
  const all: AllOutcomes = {};
  const wants = (name: (typeof config.scenarios)[number]): boolean => config.scenarios.includes(name);
  if (wants('restart')) {
    const kills = config.restartBlocks * config.killsPerBlock;
    await scenario('1 restart', `${kills} SIGKILLs each, gaps ${config.gapMinMs}–${config.gapMaxMs} ms`, async () => {
      all.restart = await runRestart(context, config, subjects);
    });
  }
  if (wants('startStop') || wants('idle')) {
    const { handles, failures } = await prepareFleets(context, config, subjects);
    const fleets = [...handles.values()];
    try {
      if (wants('startStop')) {
        await scenario('2 start/stop', `${config.fleetSize} daemons, ${config.startStopRuns} rounds`, async () => {
          all.startStop = { ...failures, ...(await runStartStop(context, config, fleets)) };
        });
      }
      if (wants('idle')) {
        const what = `${config.fleetSize} daemons, ${config.idleWindows} × ${config.idleWindowS} s`;
        await scenario('3 idle', what, async () => {
          all.idle = { ...failures, ...(await runIdle(context, config, fleets)) };
        });
      }
    } finally {
      for (const handle of fleets) {
        await handle.fleet.close().catch((error: unknown) => log(`  close ${handle.subject.label}: ${errorMessage(error)}`));
      }
    }
  }
  if (wants('log')) {
    const what = `${config.logBytes / 1e6} MB of 100-byte lines, ${config.logRuns} runs`;
    await scenario('4 log throughput', what, async () => {
      all.log = await runLog(context, config, subjects);
    });
  }
  if (wants('tasks')) {
    await scenario('5 task launches', `${config.tasks} × /bin/true`, async () => {
      all.tasks = await runTasks(context, config, subjects);
    });
  }
  if (wants('feedback')) {
    const what = `${config.feedbackTasks} tasks, ${config.idleWindows} × ${config.idleWindowS} s`;
    await scenario('6 feedback watch at rest', what, async () => {
      all.feedback = await runFeedback(context, config, subjects);
    });
  }
  if (wants('queues')) {
    const what = `${config.queueItems} × /bin/true, ${config.queueLatencyItems} stamps, ${config.queueScaleItems} queued`;
    await scenario('7 queues', what, async () => {
      all.queues = await runQueues(context, config, subjects);
    });
  }
  if (wants('jobs')) {
    await scenario('8 jobs', 'timer accuracy, 10,000 hourly jobs, command checks/s (Taskwarden only)', async () => {
      all.jobs = await runJobs(context, config);
    });
  }
  if (wants('resources')) {
    await scenario('9 resources', 'agent CPU with 50 daemons, watched and not; cost of one /proc reading (Taskwarden only)', async () => {
      all.resources = await runResources(context, config);
    });
  }
  if (wants('groups')) {
    await scenario(
      '10 process groups',
      'round overhead of 100 no-op tasklets, 20 groups at 1 s, runner memory (Taskwarden only)',
      async () => {
        all.groups = await runGroups(context, config);
      },
    );
  }
  return all;
}

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const marker = `${process.pid}-${Date.now()}`;
  process.env[MARKER_VARIABLE] = marker;
  const tempRoot = mkdtempSync(join(tmpdir(), 'taskwarden-bench-'));
  const cleanup = new Cleanup();
  const finish = async (): Promise<void> => {
    await cleanup.runAll(log);
    const swept = await sweepMarked(marker);
    if (swept.length > 0) {
      const shown = swept.slice(0, 5).join('; ') + (swept.length > 5 ? '; …' : '');
      log(`cleanup: killed ${swept.length} leftover process(es): ${shown}`);
    }
    if (config.keepTemp) log(`kept ${tempRoot} (BENCH_KEEP=1)`);
    else removeFolder(tempRoot);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`\n${signal}: cleaning up`);
      void finish().finally(() => process.exit(130));
    });
  }

  log(`Taskwarden benchmark${config.quick ? ' (quick)' : ''} — ${describeMachine()}`);
  log(`settings: ${CONFIG_HELP}`);
  const before = snapshot();
  log(formatSnapshot('before', before));
  let all: AllOutcomes = {};
  let columns: Array<Pick<Subject, 'id' | 'label' | 'role'>> = [];
  let linkage = '';
  try {
    const helpers = await buildHelpers(benchRoot, tempRoot);
    linkage = helpers.linkage;
    log(`C helpers (${linkage}) in ${dirname(helpers.bin.stamp)}`);
    const context: BenchContext = { repoRoot, tempRoot, helpers, cleanup, env: { ...process.env }, log };
    const subjects = makeSubjects(context, config);
    columns = subjects.map(({ id, label, role }) => ({ id, label, role }));
    all = await runScenarios(context, config, subjects);
  } finally {
    await finish();
  }
  const after = snapshot();
  log(`\n${formatSnapshot('after', after)}`);

  const rows = buildRows(all, config);
  // Only the columns with a figure in this run (pm2 and supervisord have no queues, tsp and nq only queues).
  const shown = columns.filter((column) => rows.some((row) => row.cells[column.id] !== undefined));
  log(`\n${renderTable(rows, shown)}`);

  const resultsDir = join(benchRoot, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${before.at.replace(/[:.]/g, '-')}${config.quick ? '-quick' : ''}.json`);
  const machine = describeMachine();
  writeFileSync(file, `${JSON.stringify({ machine, linkage, config, before, after, loadLog, columns, outcomes: all, rows }, null, 1)}\n`);
  log(`\nraw samples: ${relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
