/**
 * The environment line of "Push Command…": NAME=VALUE words, quoted like the
 * command line. Pure, so it is unit-tested.
 */
import { splitCommandLine } from '../tasks/taskCommandLine';

/** Parses "A=1 B=two" into variables; a message naming the bad word otherwise. */
export function parseEnvLine(line: string): { ok: true; env: Record<string, string> } | { ok: false; message: string } {
  if (line.trim() === '') return { ok: true, env: {} };
  const split = splitCommandLine(line);
  if (!split.ok) return { ok: false, message: split.message };
  const env: Record<string, string> = {};
  for (const word of split.argv) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(word);
    if (!match) return { ok: false, message: `"${word}" is not NAME=VALUE` };
    env[match[1]!] = match[2]!;
  }
  return { ok: true, env };
}
