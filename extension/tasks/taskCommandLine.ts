/**
 * Splits the command line typed into "Launch Task" into argv. Taskwarden runs
 * tasks without a shell, so this only does what a POSIX shell does to quotes
 * and backslashes, and nothing else:
 *
 * - blanks (space, tab, newline) outside quotes separate words;
 * - `'…'` is taken literally (no escapes inside);
 * - `"…"` is taken literally except that a backslash escapes `\`, `"`, `$`,
 *   a backquote and a newline (any other backslash stays);
 * - outside quotes a backslash takes the next character literally
 *   (a backslash-newline is dropped);
 * - quoted and unquoted pieces next to each other make one word
 *   (`--name="a b"` is `--name=a b`), and `""` is an empty word.
 *
 * There is no expansion of any kind: `$HOME`, `*.txt`, `~` and `$(…)` reach the
 * command as typed (so `sh -c "echo $HOME"` hands `echo $HOME` to sh). An
 * unquoted shell operator (`|`, `;`, `&&`, `>`…) is refused with a hint to use
 * `/bin/sh -c "…"`, since it would otherwise silently become an argument.
 * Pure (no 'vscode').
 */

export type SplitResult =
  { readonly ok: true; readonly argv: readonly string[] } | { readonly ok: false; readonly message: string; readonly offset: number };

const BLANK = /[ \t\r\n]/;
/** Escapable inside double quotes (POSIX). */
const DOUBLE_QUOTE_ESCAPES = new Set(['\\', '"', '$', '`', '\n']);
/** Words that a shell would read as operators, refused when typed unquoted. */
const SHELL_OPERATORS = new Set(['|', '||', '&', '&&', ';', ';;', '>', '>>', '<', '<<', '2>', '2>&1', '&>']);

/** Splits `line` into argv (see the file header for the rules). */
export function splitCommandLine(line: string): SplitResult {
  const argv: string[] = [];
  let word = '';
  /** The current word has content (possibly empty quotes). */
  let inWord = false;
  /** Some of the current word was quoted or escaped (then it is never an operator). */
  let quoted = false;
  let index = 0;

  const endWord = (): SplitResult | null => {
    if (!inWord) return null;
    if (!quoted && SHELL_OPERATORS.has(word)) {
      return {
        ok: false,
        offset: index - word.length,
        message: `"${word}" is a shell operator, but tasks run without a shell: quote it, or run /bin/sh -c "…"`,
      };
    }
    argv.push(word);
    word = '';
    inWord = false;
    quoted = false;
    return null;
  };

  while (index < line.length) {
    const char = line[index]!;
    if (BLANK.test(char)) {
      const failed = endWord();
      if (failed) return failed;
      index += 1;
    } else if (char === "'") {
      const close = line.indexOf("'", index + 1);
      if (close < 0) return { ok: false, offset: index, message: `unterminated single quote at column ${index + 1}` };
      word += line.slice(index + 1, close);
      inWord = quoted = true;
      index = close + 1;
    } else if (char === '"') {
      const start = index;
      index += 1;
      let closed = false;
      while (index < line.length) {
        const inner = line[index]!;
        if (inner === '"') {
          closed = true;
          index += 1;
          break;
        }
        if (inner === '\\' && index + 1 < line.length && DOUBLE_QUOTE_ESCAPES.has(line[index + 1]!)) {
          const escaped = line[index + 1]!;
          if (escaped !== '\n') word += escaped;
          index += 2;
        } else {
          word += inner;
          index += 1;
        }
      }
      if (!closed) return { ok: false, offset: start, message: `unterminated double quote at column ${start + 1}` };
      inWord = quoted = true;
    } else if (char === '\\') {
      if (index + 1 >= line.length) return { ok: false, offset: index, message: 'the line ends with a lone backslash' };
      const escaped = line[index + 1]!;
      if (escaped !== '\n') {
        word += escaped;
        inWord = quoted = true;
      }
      index += 2;
    } else {
      word += char;
      inWord = true;
      index += 1;
    }
  }
  const failed = endWord();
  if (failed) return failed;
  if (argv.length === 0) return { ok: false, offset: 0, message: 'type a command, e.g. ./build.sh --release' };
  return { ok: true, argv };
}

/** Quotes argv back into one line that {@link splitCommandLine} reads as the same argv (for display). */
export function joinCommandLine(argv: readonly string[]): string {
  return argv.map((word) => (word !== '' && /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}
