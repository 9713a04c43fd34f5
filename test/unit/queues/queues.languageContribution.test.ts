import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { queueKeyRanges, queueLanguageContribution } from '../../../agent/queues/languageContribution';
import type { QueueSummary } from '../../../agent/queues/protocol';

const TEXT = 'tasks:\n  web: {cmd: [node]}\nqueues:\n  build: {concurrency: 1}\n  deploy:\n    concurrency: 2\n';

function summary(name: string, paused: boolean): QueueSummary {
  return { name, workdir: '/w', concurrency: 1, paused, queued: 2, running: 1, done: 3, failed: 0, auto: false };
}

describe('queue code lenses in taskwarden.yaml', () => {
  it('finds each queue key under queues: (not the tasks)', () => {
    const ranges = queueKeyRanges(TEXT);
    assert.deepEqual([...ranges.keys()], ['build', 'deploy']);
    assert.equal(ranges.get('build')?.line, 4);
    assert.equal(ranges.get('deploy')?.line, 5);
  });

  it('shows counts and Pause on a running queue, Resume on a paused one, and says when a queue is not applied', () => {
    const known: Record<string, QueueSummary> = { build: summary('build', false), deploy: summary('deploy', true) };
    const lenses = queueLanguageContribution((name) => known[name] ?? null).codeLenses(TEXT + '  fresh: {}\n');
    const titles = lenses.map((lens) => `${lens.range.start.line}:${lens.command?.title}:${lens.command?.arguments?.[0] ?? ''}`);
    assert.deepEqual(titles, [
      '3:$(list-ordered) 1 running · 2 queued · 3 done:',
      '3:Pause:build',
      '3:Push Command…:build',
      '4:$(debug-pause) 1 running · 2 queued · 3 done · paused:',
      '4:Resume:deploy',
      '4:Push Command…:deploy',
      '6:$(circle-slash) not applied:',
    ]);
  });
});
