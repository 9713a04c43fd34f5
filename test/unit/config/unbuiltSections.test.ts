import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckContext } from '../../../agent/config/checks';
import { formatDiagnostic } from '../../../agent/config/diagnostic';
import { loadConfig } from '../../../agent/workspaceConfig';
import { SCHEMA_SECTIONS, unbuiltSectionNames } from '../../../agent/config/unbuiltSections';
import { PARTS } from '../../../agent/parts';
import rootSchema from '../../../schemas/taskwarden.schema.json';

const context: CheckContext = { workspace: '/ws', environment: {}, host: 'host', readFile: () => null };

function load(text: string): { ok: boolean; problems: string[] } {
  const result = loadConfig({ file: 'taskwarden.yaml', text, context });
  return { ok: result.ok, problems: result.diagnostics.map(formatDiagnostic) };
}

describe('sections of parts that are not built yet', () => {
  it('each get a warning on their key line naming them as not built in this version; the config still loads', () => {
    const text = [
      'tasks: {}',
      'jobs:',
      '  nightly: {task: command, params: {cmd: [/bin/true]}}',
      'groups:',
      '  root: processhandler',
      '  # a comment',
      'handlers: {root: handlers}',
      '',
    ].join('\n');
    assert.deepEqual(load(text), {
      ok: true,
      problems: ["taskwarden.yaml:4:1: warning: 'groups' is not built in this version: the section is checked, but nothing runs from it"],
    });
  });

  it('warns at the key in flow style too', () => {
    assert.deepEqual(load('{tasks: {}, groups: {}}\n').problems, [
      "taskwarden.yaml:1:13: warning: 'groups' is not built in this version: the section is checked, but nothing runs from it",
    ]);
  });

  it('says nothing about built sections: tasks, queues, jobs, handlers, settings, the context maps and watcher', () => {
    const text =
      'tasks: {}\nqueues: {build: {concurrency: 2}}\njobs: {}\nhandlers: {}\nsettings: {}\ndefines: {}\ndefaults: {}\nrole_defines: {}\nrole_defaults: {}\nwatcher: {reservation_ttl: 5}\n';
    assert.deepEqual(load(text), { ok: true, problems: [] });
  });

  it('keeps the warning beside an error inside the section, each at its own place', () => {
    assert.deepEqual(load('groups:\n  interval: two\n').problems, [
      "taskwarden.yaml:1:1: warning: 'groups' is not built in this version: the section is checked, but nothing runs from it",
      'taskwarden.yaml:2:13: error: groups.interval must be number',
    ]);
  });

  it('are the sections whose schema description says they are not built, and no others', () => {
    const properties = rootSchema.properties as Record<string, { description?: string }>;
    const saysUnbuilt = Object.keys(properties).filter((section) =>
      /Not built in this version/.test(properties[section]?.description ?? ''),
    );
    assert.deepEqual([...saysUnbuilt].sort(), unbuiltSectionNames(PARTS.map((part) => part.config)).sort());
  });

  it('are what no part claims: a part that claims a section silences its warning', () => {
    const queues = { name: 'queues', keys: ['queues'], read: () => ({ diagnostics: [], value: null }) };
    const sections = [...PARTS.map((part) => part.config), queues];
    assert.deepEqual(unbuiltSectionNames(sections).sort(), ['groups']);
    assert.ok(SCHEMA_SECTIONS.includes('queues'));
  });
});
