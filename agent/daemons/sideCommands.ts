/**
 * Named commands of a task run beside its daemon (`commands.reconfig` fired
 * by an event, a graceful `stop` command): spawned like the daemon (own group,
 * the instance's environment and folder, output appended to its log files),
 * their exit logged, and stopped with the agent.
 */
import * as path from 'node:path';
import type { Logger } from '../log';
import { spawnSupervised, type SupervisedChild } from '../proc/spawnSupervised';
import { stopProcessGroup } from '../proc/stopProcessGroup';
import type { DaemonSpec } from './config/spec';
import type { InstanceLogFiles } from './logs';

const STOP_TIMEOUT_MS = 2000;

export class SideCommands {
  private readonly running = new Set<SupervisedChild>();

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
    void spawnSupervised({
      argv,
      cwd: path.resolve(this.workspace, spec.cwd ?? '.'),
      env: { ...spec.env, TASKWARDEN_COMMAND: name },
      stdoutFile: files.stdout,
      stderrFile: files.stderr,
    }).then((outcome) => {
      if (!outcome.ok) {
        this.log.warn(`${id}: command '${name}' could not start: ${outcome.message}`);
        return;
      }
      const child = outcome.child;
      this.running.add(child);
      this.log.info(`${id}: command '${name}' started (pid ${child.identity.pid})`);
      void child.exited.then((exit) => {
        this.running.delete(child);
        const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code ?? '?'}`;
        if (exit.code === 0) this.log.info(`${id}: command '${name}' ${how}`);
        else this.log.warn(`${id}: command '${name}' ${how}`);
      });
    });
  }

  /** Stops every command still running (agent shutdown). */
  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.running].map((child) =>
        stopProcessGroup({ identity: child.identity, signal: 'SIGTERM', timeoutMs: STOP_TIMEOUT_MS, exited: child.exited }),
      ),
    );
  }
}
