/**
 * The taskwarden.yaml the walkthrough writes loads with no problem at all
 * through the agent's own loader, and holds one daemon, one task, one queue
 * and one job.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { CheckContext } from '../../../agent/config/checks';
import { loadConfig } from '../../../agent/workspaceConfig';
import { CONFIG_TEMPLATE } from '../../../extension/shared/configTemplate';
import { diagnosticsOf } from '../../../agent/config/loadResult';

const context: CheckContext = { workspace: '/ws', environment: {}, host: 'host', readFile: () => null };

describe('the config template', () => {
  test('loads with no error, warning or hint', () => {
    const result = loadConfig({ file: 'taskwarden.yaml', text: CONFIG_TEMPLATE, context });
    assert.deepEqual(diagnosticsOf(result), []);
  });

  test('holds one daemon, one one-shot task, one queue and one job, each with a comment', () => {
    const data = parse(CONFIG_TEMPLATE) as Record<string, Record<string, { control?: string }>>;
    assert.deepEqual(Object.keys(data.tasks!), ['web', 'setup']);
    assert.equal(data.tasks!.setup!.control, 'once');
    assert.deepEqual(Object.keys(data.queues!), ['builds']);
    assert.deepEqual(Object.keys(data.jobs!), ['heartbeat']);
    assert.ok(CONFIG_TEMPLATE.split('\n').filter((line) => line.trimStart().startsWith('#')).length >= 8);
  });
});
