import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { CheckContext } from '../../../agent/config/checks';
import { formatDiagnostic } from '../../../agent/config/diagnostic';
import { diagnosticsOf } from '../../../agent/config/loadResult';
import { PARTS } from '../../../agent/parts';
import { loadConfig } from '../../../agent/workspaceConfig';
import composedSchema from '../../../schemas/taskwarden.schema.json';

const repo = path.resolve(__dirname, '../../..');
const context: CheckContext = { workspace: '/ws', environment: {}, host: 'host', readFile: () => null };

/** The top-level sections a part's own schema file describes. */
function sectionsInSchemaOf(part: string): string[] {
  const file = path.join(repo, 'agent', part, 'config', `${part}.schema.json`);
  if (!existsSync(file)) return [];
  return Object.keys((JSON.parse(readFileSync(file, 'utf8')) as { properties?: object }).properties ?? {});
}

describe("the parts' config schemas", () => {
  it("describe in each part's own file exactly the sections that part reads", () => {
    for (const part of PARTS) assert.deepEqual(sectionsInSchemaOf(part.name).sort(), [...part.config.keys].sort(), part.name);
  });

  it('are composed into taskwarden.schema.json: every section of every part, and nothing else', () => {
    const composed = Object.keys(composedSchema.properties).sort();
    assert.deepEqual(composed, PARTS.flatMap((part) => part.config.keys).sort());
    assert.equal(composedSchema.additionalProperties, false);
    const text = JSON.stringify(composedSchema);
    assert.doesNotMatch(text, /"\$ref":"[^#]/, 'every $ref stays inside the composed file');
  });

  it('accept a config with every section, and reject a section no part reads', () => {
    const load = (text: string) => {
      const result = loadConfig({ file: 'taskwarden.yaml', text, context });
      return { ok: result.ok, problems: diagnosticsOf(result).map(formatDiagnostic) };
    };
    const every =
      'tasks: {}\ngroups: {interval: 5}\nqueues: {build: {concurrency: 2}}\njobs: {}\nhandlers: {}\nsettings: {}\ndefines: {}\ndefaults: {}\nrole_defines: {}\nrole_defaults: {}\nwatcher: {reservation_ttl: 5}\n';
    assert.deepEqual(load(every), { ok: true, problems: [] });
    const unknown = load('tasks: {}\nqueue: {}\n');
    assert.equal(unknown.ok, false);
    assert.match(unknown.problems.join('\n'), /taskwarden\.yaml:2:1: error: unknown top-level key 'queue'/);
  });
});
