/**
 * How a scenario reports one subject: its raw samples, or why it could not be measured.
 * Raw samples go to the JSON file as they are; the table summarises them.
 */
import type { SubjectId } from '../config';
import { isAlive } from '../proc';
import { errorMessage, type Subject } from '../subject';

export type Outcome<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly reason: string };

export type Outcomes<T> = Partial<Record<SubjectId, Outcome<T>>>;

export function failed<T>(error: unknown): Outcome<T> {
  return { ok: false, reason: errorMessage(error) };
}

/**
 * The reason a subject failed, saying first when its supervisor process is gone: a timeout is
 * then the consequence, and a crash is what the reader needs to know.
 */
export function failureReason(error: unknown, supervisorPid: number | null): string {
  const message = errorMessage(error);
  if (supervisorPid === null || isAlive(supervisorPid)) return message;
  return `the supervisor (pid ${supervisorPid}) died; then: ${message}`;
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
