/**
 * The group runner program (dist/groupRunner.js): `node groupRunner.js
 * WORKSPACE GROUP`, started by the agent as a supervised run. The same file is
 * the watchdog worker thread (watchdog.ts), so the bundle is one file; the
 * runner itself (its agent client, the tasklet loader) is imported only on the
 * main thread, so the watchdog thread evaluates none of it (~1.8 MB less).
 */
import { isWatchdogThread, runWatchdogThread, Watchdog } from './watchdog';

function main(): void {
  if (isWatchdogThread()) {
    runWatchdogThread();
    return;
  }
  const [workspace, group] = process.argv.slice(2);
  if (workspace === undefined || group === undefined) {
    process.stderr.write('usage: groupRunner WORKSPACE GROUP\n');
    process.exit(2);
  }
  const watchdog = new Watchdog(workspace, group, __filename);
  void import('./groupRunner').then(({ GroupRunner }) => new GroupRunner(workspace, group, watchdog).start());
}

main();
