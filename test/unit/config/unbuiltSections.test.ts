import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckContext } from '../../../agent/config/checks';
import { formatDiagnostic } from '../../../agent/config/diagnostic';
import { loadConfig } from '../../../agent/workspaceConfig';
import { SCHEMA_SECTIONS, unbuiltSectionNames, unbuiltSections } from '../../../agent/config/unbuiltSections';
import { PARTS } from '../../../agent/parts';
import rootSchema from '../../../schemas/taskwarden.schema.json';
import { diagnosticsOf } from '../../../agent/config/loadResult';

const context: CheckContext = { workspace: '/ws', environment: {}, host: 'host', readFile: () => null };

function load(text: string): { ok: boolean; problems: string[] } {
  const result = loadConfig({ file: 'taskwarden.yaml', text, context });
  return { ok: result.ok, problems: diagnosticsOf(result).map(formatDiagnostic) };
}

/** The sections of every part but the ones named: as if those parts were not built. */
function sectionsWithout(...unbuilt: string[]) {
  return PARTS.map((part) => part.config).filter((section) => !section.keys.some((key) => unbuilt.includes(key)));
}

describe('sections of parts that are not built yet', () => {
  it('each get a warning on their key naming them as not built in this version', () => {
    const config = { tasks: {}, jobs: { nightly: { task: 'command' } }, handlers: { root: 'handlers' } };
    assert.deepEqual(unbuiltSections(config, sectionsWithout('jobs')), [
      {
        path: ['jobs'],
        atKey: true,
        severity: 'warning',
        message: "'jobs' is not built in this version: the section is checked, but nothing runs from it",
      },
      {
        path: ['handlers'],
        atKey: true,
        severity: 'warning',
        message: "'handlers' is not built in this version: the section is checked, but nothing runs from it",
      },
    ]);
  });

  it('says nothing once every part is built: tasks, queues, groups, jobs, handlers, settings, the context maps and watcher', () => {
    const text =
      'tasks: {}\ngroups: {interval: 5}\nqueues: {build: {concurrency: 2}}\njobs: {}\nhandlers: {}\nsettings: {}\ndefines: {}\ndefaults: {}\nrole_defines: {}\nrole_defaults: {}\nwatcher: {reservation_ttl: 5}\n';
    assert.deepEqual(load(text), { ok: true, problems: [] });
  });

  it('are the sections whose schema description says they are not built, and no others', () => {
    const properties = rootSchema.properties as Record<string, { description?: string }>;
    const saysUnbuilt = Object.keys(properties).filter((section) =>
      /Not built in this version/.test(properties[section]?.description ?? ''),
    );
    assert.deepEqual([...saysUnbuilt].sort(), unbuiltSectionNames(PARTS.map((part) => part.config)).sort());
  });

  it('are what no part claims: a part that claims a section silences its warning', () => {
    assert.deepEqual(unbuiltSectionNames(sectionsWithout('groups', 'jobs')).sort(), ['groups', 'handlers', 'jobs']);
    const queues = { name: 'queues', keys: ['queues'], read: () => ({ diagnostics: [], value: null }) };
    assert.deepEqual(unbuiltSectionNames([...sectionsWithout('queues'), queues]), []);
    assert.ok(SCHEMA_SECTIONS.includes('queues'));
  });
});
