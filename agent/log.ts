/**
 * The agent's own logger: one level, a tag per subsystem, injected where needed.
 * Process output is data and never goes through here.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A logger for a subsystem, e.g. `log.tag('daemons')`. */
  tag(tag: string): Logger;
}

export type LogSink = (line: string) => void;

/** A logger writing `ISO-time LEVEL [tag] message` lines to a sink. */
export function createLogger(sink: LogSink, minimumLevel: LogLevel = 'info', tagName = 'agent'): Logger {
  const write = (level: LogLevel, message: string): void => {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[minimumLevel]) return;
    sink(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${tagName}] ${message}\n`);
  };
  return {
    debug: (message) => write('debug', message),
    info: (message) => write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
    tag: (tag) => createLogger(sink, minimumLevel, tag),
  };
}

/** A logger that drops everything; for unit tests of modules that take a logger. */
export const silentLogger: Logger = createLogger(() => undefined, 'error');
