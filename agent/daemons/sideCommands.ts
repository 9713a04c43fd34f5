/**
 * Named commands of a task run beside its daemon (`commands.reconfig` fired
 * by an event, a graceful `stop` command): each a SupervisedRun like the
 * daemon (own group, the workspace marker, the instance's environment and
 * folder, output appended to its log files, which the daemon's own run
 * rotates), their exit logged, and stopped with the agent. They carry the
 * workspace marker but not the daemon's, so adoption never takes one for the
 * daemon, and `taskwarden down` with no agent still finds one left running.
 */
import * as path from 'node:path';
import type { Logger } from '../log';
import { SupervisedRun, type RunOptions } from '../proc/supervisedRun';
import type { DaemonSpec } from './config/spec';
import type { InstanceLogFiles } from './logs';

const OPTIONS: RunOptions = {
  stopMethod: { kind: 'signal', signal: 'SIGTERM' },
  stopTimeoutMs: 2000,
  timeLimitMs: null,
  killGroupOnExit: false,
  rotation: null,
};

export class SideCommands {
  private readonly running = new Set<SupervisedRun>();

  constructor(
    private readonly workspace: string,
    private readonly log: Logger,
  ) {}

  /** Runs `commands[name]` of the instance; logs a missing command or a failed start. */
  run(id: string, spec: DaemonSpec, files: InstanceLogFiles, name: string): void {
    const argv = spec.commands[name];
    if (!argv) {
      this.log.warn(`${id}: no command '${name}' in commands`);
      return;
    }
    const run = new SupervisedRun(
      {
        id: `${id}:${name}`,
        argv,
        cwd: path.resolve(this.workspace, spec.cwd ?? '.'),
        env: { ...spec.env, TASKWARDEN_COMMAND: name },
        mark: { workspace: this.workspace, run: null },
        files,
      },
      OPTIONS,
    );
    // Counted while it starts, so an agent stop in between stops it too (queued by the run).
    this.running.add(run);
    void run.start().then((outcome) => {
      if (!outcome.ok) {
        this.running.delete(run);
        this.log.warn(`${id}: command '${name}' could not start: ${outcome.error.message}`);
        return;
      }
      this.log.info(`${id}: command '${name}' started (pid ${outcome.value.identity.pid})`);
      void run.ended.then((end) => {
        this.running.delete(run);
        const how = end.signal ? `killed by ${end.signal}` : `exited with code ${end.code ?? '?'}`;
        if (end.code === 0) this.log.info(`${id}: command '${name}' ${how}`);
        else this.log.warn(`${id}: command '${name}' ${how}`);
      });
    });
  }

  /** Stops every command still running (agent shutdown). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((run) => run.stop('agent stopped')));
  }
}
