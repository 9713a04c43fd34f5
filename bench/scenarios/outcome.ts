/**
 * How a scenario reports one subject: its raw samples, or why it could not be measured.
 * Raw samples go to the JSON file as they are; the table summarises them.
 */
import type { SubjectId } from '../config';
import { errorMessage, type Subject } from '../subject';

export type Outcome<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly reason: string };

export type Outcomes<T> = Partial<Record<SubjectId, Outcome<T>>>;

export function failed<T>(error: unknown): Outcome<T> {
  return { ok: false, reason: errorMessage(error) };
}

/** Runs `prepare` for each subject that has the capability, turning throws into outcomes. */
export async function prepareEach<H>(
  subjects: readonly Subject[],
  prepare: (subject: Subject) => Promise<H> | undefined,
  log: (line: string) => void,
): Promise<{ handles: Map<SubjectId, H>; failures: Outcomes<never> }> {
  const handles = new Map<SubjectId, H>();
  const failures: Outcomes<never> = {};
  for (const subject of subjects) {
    try {
      const pending = prepare(subject);
      if (pending === undefined) continue;
      handles.set(subject.id, await pending);
    } catch (error: unknown) {
      failures[subject.id] = failed(error);
      log(`  ${subject.label}: n/a (${errorMessage(error)})`);
    }
  }
  return { handles, failures };
}
