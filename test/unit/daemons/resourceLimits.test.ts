import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCpuLimit, parseSize } from '../../../agent/daemons/config/limits';
import { LimitWatch } from '../../../agent/daemons/resourceLimits';
import { formatDiagnostic } from '../../../agent/config/diagnostic';
import type { CheckContext } from '../../../agent/config/checks';
import { loadConfig } from '../../../agent/workspaceConfig';
import { diagnosticsOf } from '../../../agent/config/loadResult';

const MB = 1024 * 1024;

describe('limits as written in taskwarden.yaml', () => {
  it('reads sizes in units of 1024, with or without B or iB, and plain byte counts', () => {
    assert.equal(parseSize('512MB'), 512 * MB);
    assert.equal(parseSize('512M'), 512 * MB);
    assert.equal(parseSize('512 MiB'), 512 * MB);
    assert.equal(parseSize('1.5G'), 1.5 * 1024 * MB);
    assert.equal(parseSize('64kb'), 64 * 1024);
    assert.equal(parseSize(1048576), MB);
    for (const bad of ['lots', '512 XB', '-5MB', 0, '0MB', '']) assert.equal(parseSize(bad), null, String(bad));
  });

  it("reads a CPU limit as a share of one core and how long it must last ('90%' alone: at once)", () => {
    assert.deepEqual(parseCpuLimit('90% for 60s'), { percent: 90, forMs: 60_000 });
    assert.deepEqual(parseCpuLimit('150% for 2m'), { percent: 150, forMs: 120_000 });
    assert.deepEqual(parseCpuLimit('90% for 30'), { percent: 90, forMs: 30_000 });
    assert.deepEqual(parseCpuLimit('90%'), { percent: 90, forMs: 0 });
    for (const bad of ['90', 'high', '90% during 60s', 90, '0%']) assert.equal(parseCpuLimit(bad), null, String(bad));
  });

  it('reports a bad value at its line and column, saying what is expected; a good one passes', () => {
    const context: CheckContext = { workspace: '/ws', environment: {}, host: 'host', readFile: () => null };
    const text = [
      'tasks:',
      '  web:',
      '    commands: {start: [web]}',
      '    limits:',
      '      memory: lots',
      "      cpu: '90% during 60s'",
      '  api:',
      '    commands: {start: [api]}',
      "    limits: {memory: 512MB, cpu: '90% for 60s'}",
      '',
    ].join('\n');
    assert.deepEqual(diagnosticsOf(loadConfig({ file: 'taskwarden.yaml', text, context })).map(formatDiagnostic), [
      'taskwarden.yaml:5:15: error: must be a size like 512MB, 1.5G or a number of bytes, not "lots"',
      "taskwarden.yaml:6:12: error: must be a share of one core held for a while, like '90% for 60s' (or '90%'), not \"90% during 60s\"",
    ]);
  });
});

describe('a daemon’s limits applied to its samples (the time is each sample’s own)', () => {
  it('breaks the memory limit at the first sample over it, worded for ps and the view', () => {
    const watch = new LimitWatch({ memoryBytes: 512 * MB, cpu: null });
    assert.equal(watch.observe({ cpuPercent: 5, memoryBytes: 500 * MB, at: 0 }), null);
    assert.equal(watch.observe({ cpuPercent: 5, memoryBytes: 530 * MB, at: 2000 }), 'memory 530 MB > 512 MB');
  });

  it('breaks the CPU limit only once every sample has been over it for the whole time', () => {
    const watch = new LimitWatch({ memoryBytes: null, cpu: { percent: 90, forMs: 60_000 } });
    assert.equal(watch.observe({ cpuPercent: 95, memoryBytes: MB, at: 0 }), null);
    assert.equal(watch.observe({ cpuPercent: 99, memoryBytes: MB, at: 58_000 }), null);
    // A dip starts the count over.
    assert.equal(watch.observe({ cpuPercent: 40, memoryBytes: MB, at: 60_000 }), null);
    assert.equal(watch.observe({ cpuPercent: 97, memoryBytes: MB, at: 62_000 }), null);
    assert.equal(watch.observe({ cpuPercent: 97, memoryBytes: MB, at: 121_000 }), null);
    assert.equal(watch.observe({ cpuPercent: 97, memoryBytes: MB, at: 122_000 }), 'cpu 97% > 90% for 60 s');
  });

  it('ignores a first sample with no CPU figure yet', () => {
    const watch = new LimitWatch({ memoryBytes: null, cpu: { percent: 90, forMs: 0 } });
    assert.equal(watch.observe({ cpuPercent: null, memoryBytes: MB, at: 0 }), null);
    assert.equal(watch.observe({ cpuPercent: 91, memoryBytes: MB, at: 2000 }), 'cpu 91% > 90%');
  });
});
