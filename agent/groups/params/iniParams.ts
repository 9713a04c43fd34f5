/**
 * The seed's params.ini grammar: one section `[main]`, `name=value` lines,
 * `name=v1,v2` is a list, an integer-looking value is a number, everything
 * else a string. Blank lines and `#`/`;` comments are skipped. Another section,
 * a line that is not `name=value`, or a key outside `[main]` is a problem at its
 * line (the line is skipped, the rest still loads).
 */
import type { GroupParams, JsonValue } from '../protocol';

export interface ParamsProblem {
  /** 1-based. */
  readonly line: number;
  readonly message: string;
}

export interface ParsedParams {
  readonly params: GroupParams;
  readonly problems: readonly ParamsProblem[];
}

const INTEGER = /^[+-]?\d+$/;

/** An INI value: an integer-looking text is a number, anything else stays a string. */
function scalar(text: string): number | string {
  const trimmed = text.trim();
  if (INTEGER.test(trimmed)) {
    const value = Number(trimmed);
    if (Number.isSafeInteger(value)) return value;
  }
  return trimmed;
}

export function parseIniParams(text: string): ParsedParams {
  const params: Record<string, JsonValue> = {};
  const problems: ParamsProblem[] = [];
  let section: string | null = null;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#') || content.startsWith(';')) return;
    const header = /^\[(.*)\]$/.exec(content);
    if (header) {
      section = header[1]!.trim();
      if (section !== 'main') problems.push({ line, message: `section [${section}]: params.ini has only a [main] section` });
      return;
    }
    const equals = content.indexOf('=');
    if (equals <= 0) {
      problems.push({ line, message: `expected name=value, found '${content}'` });
      return;
    }
    if (section === null) {
      problems.push({ line, message: `'${content}' comes before the [main] section` });
      return;
    }
    if (section !== 'main') return;
    const name = content.slice(0, equals).trim();
    const value = content.slice(equals + 1);
    params[name] = value.includes(',') ? value.split(',').map(scalar) : scalar(value);
  });
  return { params, problems };
}
