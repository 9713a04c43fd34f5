/**
 * Parsing of `env_file` text (dotenv style). Reading the file is the runtime's
 * job; it hands the text to `resolveDaemons` (see `ResolveInput.envFiles`).
 *
 * Grammar, the common subset of docker compose and python-dotenv:
 * - `KEY=VALUE` per line; an optional `export ` prefix; blank lines and `#` lines ignored;
 * - unquoted values are trimmed, and ` #…` after them is a comment;
 * - `'…'` is literal; `"…"` understands \n \r \t \" \\ and may span lines;
 * - no `${VAR}` interpolation: values are data (a literal `$` stays).
 */

/** A line that was skipped; lines are 1-based. */
export interface DotenvProblem {
  readonly line: number;
  readonly message: string;
}

/** Parsed values in file order (a repeated key keeps the last value). */
export interface DotenvResult {
  readonly values: Readonly<Record<string, string>>;
  readonly problems: readonly DotenvProblem[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Read a double-quoted value starting after the opening quote; returns the value and the index after the closing quote. */
function readDoubleQuoted(text: string, start: number): { value: string; end: number } | null {
  let value = '';
  for (let index = start; index < text.length; index += 1) {
    const char = text[index]!;
    if (char === '"') return { value, end: index + 1 };
    if (char === '\\' && index + 1 < text.length) {
      const next = text[index + 1]!;
      value += ESCAPES[next] ?? `\\${next}`;
      index += 1;
      continue;
    }
    value += char;
  }
  return null;
}

/** Parse dotenv text. Never throws; bad lines are reported and skipped. */
export function parseDotenv(text: string): DotenvResult {
  const values: Record<string, string> = {};
  const problems: DotenvProblem[] = [];
  const lineStarts = [0];
  for (let index = 0; index < text.length; index += 1) if (text[index] === '\n') lineStarts.push(index + 1);
  const lineOf = (offset: number): number => lineStarts.filter((start) => start <= offset).length;

  let offset = 0;
  while (offset < text.length) {
    const lineEnd = text.indexOf('\n', offset) === -1 ? text.length : text.indexOf('\n', offset);
    const line = text.slice(offset, lineEnd).replace(/\r$/, '');
    const lineNumber = lineOf(offset);
    const trimmed = line.trim();
    let next = lineEnd + 1;
    if (trimmed && !trimmed.startsWith('#')) {
      const body = trimmed.replace(/^export\s+/, '');
      const equals = body.indexOf('=');
      const key = equals >= 0 ? body.slice(0, equals).trim() : '';
      if (equals < 0 || !KEY.test(key)) {
        problems.push({
          line: lineNumber,
          message: equals < 0 ? `expected KEY=VALUE, found '${trimmed}'` : `'${key}' is not a valid variable name`,
        });
      } else {
        const rest = body.slice(equals + 1).trimStart();
        if (rest.startsWith('"')) {
          // A double-quoted value may continue on the following lines: parse from the file text.
          // Keys cannot contain quotes, so the line's first " opens the value.
          const start = offset + line.indexOf('"') + 1;
          const quoted = readDoubleQuoted(text, start);
          if (quoted) {
            values[key] = quoted.value;
            const after = text.indexOf('\n', quoted.end);
            next = after === -1 ? text.length : after + 1;
          } else {
            problems.push({ line: lineNumber, message: `the value of ${key} has no closing "` });
            next = text.length;
          }
        } else if (rest.startsWith("'")) {
          const close = rest.indexOf("'", 1);
          if (close < 0) problems.push({ line: lineNumber, message: `the value of ${key} has no closing '` });
          else values[key] = rest.slice(1, close);
        } else {
          values[key] = rest.replace(/\s+#.*$/, '').trim();
        }
      }
    }
    offset = next;
  }
  return { values, problems };
}
