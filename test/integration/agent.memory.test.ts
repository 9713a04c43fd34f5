/**
 * The agent's idle compaction, in a real V8 started with the agent's flags: a full
 * collection that only sweeps would leave a fragmented old space committed (every page
 * still holds a live object), so the flags and the collection the agent asks for must
 * move the survivors together and give the emptied pages back.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AGENT_NODE_FLAGS } from '../../agent/cli/agentClient';

const program = path.join(__dirname, '..', 'fixtures', 'programs', 'fragmented-heap.ts');

interface Report {
  readonly beforeBytes: number;
  readonly afterBytes: number;
  readonly liveBytes: number;
}

describe('agent memory', () => {
  it('gives a fragmented old space back once idle, with the flags the agent runs under', () => {
    const output = execFileSync(process.execPath, [...AGENT_NODE_FLAGS, '--import', 'tsx', program], { encoding: 'utf8', timeout: 30_000 });
    const report = JSON.parse(output) as Report;
    const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    const figures = `before ${mb(report.beforeBytes)}, after ${mb(report.afterBytes)}, live ${mb(report.liveBytes)}`;
    assert.ok(report.afterBytes < report.beforeBytes / 3, `the old space shrank: ${figures}`);
    assert.ok(report.afterBytes < report.liveBytes * 1.5, `what stays committed is about what lives: ${figures}`);
  });
});
