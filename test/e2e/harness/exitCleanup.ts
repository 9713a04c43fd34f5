/**
 * Last-resort cleanup: synchronous callbacks run when the test process exits or is interrupted,
 * so a failing or cancelled test never leaves code-server, Chromium or temp folders behind.
 */
import { constants } from 'node:os';

const callbacks = new Set<() => void>();
let installed = false;

function runAll(): void {
  for (const callback of [...callbacks]) {
    callbacks.delete(callback);
    try {
      callback();
    } catch {
      // Best effort: one failing cleanup must not stop the others.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      runAll();
      // Keep the default meaning of the signal: end the process. Re-raising it is not enough, as
      // playwright-core keeps its own SIGTERM/SIGHUP listeners, which only close browsers.
      process.exit(128 + constants.signals[signal]);
    };
    process.on(signal, onSignal);
  }
}

/**
 * Registers a synchronous cleanup to run on exit or on SIGINT/SIGTERM/SIGHUP; returns a function
 * that unregisters it (call it once the normal, asynchronous cleanup has succeeded).
 */
export function onExitCleanup(callback: () => void): () => void {
  install();
  callbacks.add(callback);
  return () => {
    callbacks.delete(callback);
  };
}
