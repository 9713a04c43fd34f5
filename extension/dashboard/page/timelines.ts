/// <reference lib="dom" />
/**
 * The dashboard's rows drawn in plain HTML: job check states over time (a row
 * per job, a colored segment per verdict until the next), daemon restarts and
 * crash loops on a timeline, running tasks' progress bars. Each row carries
 * what it shows in data-* attributes (the e2e test reads them).
 */
import type { PageSeries } from './seriesStore';
import { CHECK_STATE_CLASSES } from './theme';

export interface TimeSpan {
  readonly from: number;
  readonly to: number;
}

function percent(time: number, span: TimeSpan): number {
  return Math.min(100, Math.max(0, ((time - span.from) / Math.max(1, span.to - span.from)) * 100));
}

function row(label: string, track: HTMLElement): HTMLElement {
  const element = document.createElement('div');
  element.className = 'row';
  const name = document.createElement('span');
  name.className = 'row-label';
  name.textContent = label;
  name.title = label;
  element.append(name, track);
  return element;
}

/** A row per job: each verdict colors the track from its time to the next verdict (or now). */
export function checkTimeline(jobs: readonly PageSeries[], span: TimeSpan): HTMLElement[] {
  return jobs.map((job) => {
    const track = document.createElement('div');
    track.className = 'track';
    let changes = 0;
    job.t.forEach((time, index) => {
      const state = job.v[index]!;
      if (index > 0 && job.v[index - 1] !== state) changes += 1;
      const end = job.t[index + 1] ?? span.to;
      const segment = document.createElement('div');
      segment.className = `segment ${CHECK_STATE_CLASSES[state] ?? 'state-unknown'}`;
      segment.style.left = `${percent(time, span)}%`;
      segment.style.width = `${Math.max(0.4, percent(end, span) - percent(time, span))}%`;
      segment.title = `${job.info.levels?.[state] ?? state} at ${new Date(time).toLocaleTimeString()}`;
      track.append(segment);
    });
    const element = row(job.info.subject, track);
    element.dataset['job'] = job.info.subject;
    element.dataset['states'] = job.v.join(',');
    element.dataset['changes'] = String(changes);
    return element;
  });
}

/** A row per daemon instance: a mark at each restart, a red band while in a crash loop. */
export function restartTimeline(restarts: readonly PageSeries[], crashLoops: readonly PageSeries[], span: TimeSpan): HTMLElement[] {
  const subjects = [...new Set([...restarts, ...crashLoops].map((series) => series.info.subject))].sort();
  return subjects.map((subject) => {
    const track = document.createElement('div');
    track.className = 'track';
    const loops = crashLoops.find((series) => series.info.subject === subject);
    loops?.t.forEach((time, index) => {
      if (loops.v[index] !== 1) return;
      const band = document.createElement('div');
      band.className = 'segment crashloop';
      const end = loops.t[index + 1] ?? span.to;
      band.style.left = `${percent(time, span)}%`;
      band.style.width = `${Math.max(0.4, percent(end, span) - percent(time, span))}%`;
      band.title = `crash loop from ${new Date(time).toLocaleTimeString()}`;
      track.append(band);
    });
    const starts = restarts.find((series) => series.info.subject === subject);
    starts?.t.forEach((time, index) => {
      const mark = document.createElement('span');
      mark.className = 'mark codicon codicon-debug-restart';
      mark.style.left = `${percent(time, span)}%`;
      mark.title = `restart ${starts.v[index]} at ${new Date(time).toLocaleTimeString()}`;
      track.append(mark);
    });
    const element = row(subject, track);
    element.dataset['daemon'] = subject;
    element.dataset['restarts'] = String(starts?.t.length ?? 0);
    element.dataset['crashloops'] = String(loops?.v.filter((value) => value === 1).length ?? 0);
    return element;
  });
}

/** A progress bar per task whose subject still runs. */
export function taskProgress(tasks: readonly PageSeries[]): HTMLElement[] {
  return tasks
    .filter((task) => task.info.endedAt === null)
    .map((task) => {
      const value = task.v.at(-1) ?? 0;
      const bar = document.createElement('div');
      bar.className = 'progress';
      const fill = document.createElement('div');
      fill.className = 'progress-fill';
      fill.style.width = `${value}%`;
      bar.append(fill);
      const text = document.createElement('span');
      text.className = 'progress-text';
      text.textContent = `${Math.round(value)}%`;
      const element = row(task.info.title, bar);
      element.append(text);
      element.dataset['task'] = task.info.subject;
      element.dataset['progress'] = String(value);
      return element;
    });
}
