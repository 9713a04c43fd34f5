/**
 * `{name}` substitution against a task's context, taskforce style.
 *
 * taskforce (`_fmt_context` in task.py) runs Python's `str.format(**context)`
 * up to 10 times until the text stops changing, so a value may refer to other
 * values (`piddir: "{EXAMPLES_BASE}/var/run"`). We expand recursively instead,
 * which gives the same result for every well-formed config and fixes three weak
 * spots of the repeated-format approach:
 * - escapes: `{{` and `}}` give literal braces once and for all. With repeated
 *   formatting `{{x}}` becomes `{x}` on the first pass and is substituted on the next;
 * - unknown names: one unknown `{name}` makes Python's format fail, so taskforce
 *   keeps the *whole* string unformatted, silently. We substitute the known names,
 *   keep `{unknown}` as written, and report it (a warning: the environment differs
 *   between hosts, and taskforce runs such a config);
 * - self-reference: taskforce stops after 10 passes; we detect the cycle and report it.
 *
 * Kept from taskforce: only `{word}` is a placeholder (anything else with braces is
 * literal text, like a JSON snippet); a text that is exactly `{X}` where X is
 * defined as null resolves to null, meaning "unset" (that is how
 * `user: "{EXAMPLES_TESTUSER}"` with a null default runs without a user change).
 * Inside a longer text a null value reads as empty (Python would write "None").
 */
import type { PathDiagnostic, PropertyPath } from '../../config/diagnostic';
import type { Context } from './context';

/**
 * taskforce names that only exist after fork, in the child: the pid, the uid/gid
 * after setuid/setgid, the start time. Node spawns without a hook between fork and
 * exec, so they cannot be placed in arguments; the started process knows them itself.
 */
export const RUNTIME_ONLY_NAMES: readonly string[] = ['Task_pid', 'Task_uid', 'Task_gid', 'Task_started'];

/** The outcome of substituting one text. */
export interface SubstitutionResult {
  /** null when the whole text is one placeholder whose value is null ("unset"). */
  readonly value: string | null;
  readonly unknown: readonly string[];
  readonly runtimeOnly: readonly string[];
  /** Each cycle as the chain of names, first name repeated at the end. */
  readonly cycles: readonly (readonly string[])[];
}

type Token = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'name'; readonly name: string };

const NAME = /^[\p{L}\p{N}_]+$/u;

/** Split a text into literal runs and `{name}` placeholders, applying `{{` / `}}` escapes. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let literal = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    const next = text[index + 1];
    if ((char === '{' || char === '}') && next === char) {
      literal += char;
      index += 2;
      continue;
    }
    if (char === '{') {
      const close = text.indexOf('}', index + 1);
      const name = close > index + 1 ? text.slice(index + 1, close) : '';
      if (NAME.test(name)) {
        if (literal) tokens.push({ kind: 'text', text: literal });
        literal = '';
        tokens.push({ kind: 'name', name });
        index = close + 1;
        continue;
      }
    }
    literal += char;
    index += 1;
  }
  if (literal) tokens.push({ kind: 'text', text: literal });
  return tokens;
}

interface Accumulator {
  readonly unknown: Set<string>;
  readonly runtimeOnly: Set<string>;
  readonly cycles: string[][];
}

function expandName(name: string, context: Context, stack: readonly string[], found: Accumulator): string | null {
  const entry = context.get(name);
  if (!entry) {
    (RUNTIME_ONLY_NAMES.includes(name) ? found.runtimeOnly : found.unknown).add(name);
    return `{${name}}`;
  }
  if (entry.value === null) return null;
  if (!entry.substitute) return entry.value;
  const seen = stack.indexOf(name);
  if (seen >= 0) {
    found.cycles.push([...stack.slice(seen), name]);
    return `{${name}}`;
  }
  return expandText(entry.value, context, [...stack, name], found);
}

function expandText(text: string, context: Context, stack: readonly string[], found: Accumulator): string | null {
  const tokens = tokenize(text);
  const only = tokens.length === 1 ? tokens[0] : undefined;
  if (only?.kind === 'name') return expandName(only.name, context, stack, found);
  let out = '';
  for (const token of tokens) {
    out += token.kind === 'text' ? token.text : (expandName(token.name, context, stack, found) ?? '');
  }
  return out;
}

/** Substitute every `{name}` of `text` from `context`, recursively. */
export function substitute(text: string, context: Context): SubstitutionResult {
  const found: Accumulator = { unknown: new Set(), runtimeOnly: new Set(), cycles: [] };
  const value = expandText(text, context, [], found);
  return { value, unknown: [...found.unknown], runtimeOnly: [...found.runtimeOnly], cycles: found.cycles };
}

/** The problems of one substitution, reported at the value's path. */
export function substitutionDiagnostics(result: SubstitutionResult, path: PropertyPath): PathDiagnostic[] {
  const diagnostics: PathDiagnostic[] = [];
  for (const name of result.unknown) {
    diagnostics.push({
      path,
      severity: 'warning',
      message: `'{${name}}' is not defined (not in the environment, defines or defaults), so it is left as written`,
    });
  }
  for (const name of result.runtimeOnly) {
    diagnostics.push({
      path,
      severity: 'warning',
      message: `'{${name}}' is only known inside the started process (Taskwarden spawns without a fork hook), so it is left as written`,
    });
  }
  for (const cycle of result.cycles) {
    diagnostics.push({ path, severity: 'error', message: `'{${cycle[0]!}}' refers to itself: ${cycle.join(' → ')}` });
  }
  return diagnostics;
}
