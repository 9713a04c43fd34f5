/**
 * Reads task fields against one instance's context: conditional values are
 * decided, `{name}`s substituted, types checked, and every problem is reported
 * at the exact property path. One reader per task instance.
 */
import type { PathDiagnostic, PropertyPath } from '../../config/diagnostic';
import { expandList, expandScalar, type ExpandedItem } from './conditional';
import type { Context } from './context';
import { substitute, substitutionDiagnostics } from './substitute';

/** A list element after substitution, with its path. */
export interface TextItem {
  readonly text: string;
  readonly path: PropertyPath;
}

/** Numeric bounds for `FieldReader.number`. */
export interface NumberRule {
  readonly integer?: boolean;
  readonly min?: number;
  /** Describes the value in messages, e.g. "a number of seconds". */
  readonly what: string;
}

/** Field access for one task instance; problems go to `diagnostics`. */
export class FieldReader {
  readonly diagnostics: PathDiagnostic[] = [];

  constructor(readonly context: Context) {}

  readonly has = (name: string): boolean => this.context.has(name);

  /** Report a problem. */
  report(diagnostic: PathDiagnostic): void {
    this.diagnostics.push(diagnostic);
  }

  /** Substitute one scalar; numbers and booleans are used as written. */
  substituteItem(item: ExpandedItem): string | null {
    if (typeof item.value !== 'string') return String(item.value);
    const result = substitute(item.value, this.context);
    this.diagnostics.push(...substitutionDiagnostics(result, item.path));
    return result.value;
  }

  /** Substitute a plain string field (no conditional values), e.g. `env` values. */
  substituteText(text: string, path: PropertyPath): string | null {
    return this.substituteItem({ value: text, path });
  }

  /**
   * A single-valued field: undefined when absent (or a conditional left nothing),
   * null when it resolved to a null context value (taskforce: "not set").
   */
  text(value: unknown, path: PropertyPath): string | null | undefined {
    const { item, diagnostics } = expandScalar(value, this.has, path);
    this.diagnostics.push(...diagnostics);
    return item ? this.substituteItem(item) : undefined;
  }

  /**
   * A list field (a command, `requires`, `roles`, a `path` list). Elements that
   * resolve to null are dropped: taskforce would put Python's None into the
   * argument vector and fail the exec.
   */
  list(value: unknown, path: PropertyPath): TextItem[] {
    const { items, diagnostics } = expandList(value, this.has, path);
    this.diagnostics.push(...diagnostics);
    const texts: TextItem[] = [];
    for (const item of items) {
      const text = this.substituteItem(item);
      if (text !== null) texts.push({ text, path: item.path });
    }
    return texts;
  }

  /** A number written as a number or a text (after substitution); undefined when absent or wrong. */
  number(value: unknown, path: PropertyPath, rule: NumberRule): number | undefined {
    const text = this.text(value, path);
    if (text === undefined || text === null) return undefined;
    const number = typeof value === 'number' ? value : Number(text.trim());
    const fits =
      text.trim() !== '' &&
      Number.isFinite(number) &&
      (!rule.integer || Number.isInteger(number)) &&
      (rule.min === undefined || number >= rule.min);
    if (fits) return number;
    this.report({ path, severity: 'error', message: `must be ${rule.what}, not '${text}'` });
    return undefined;
  }
}
