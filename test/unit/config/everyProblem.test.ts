/**
 * The loader reports every problem of a file at once: the schema, the parts'
 * checks and the cross-references together, each at its exact line and column,
 * and a check never repeats, in its own words, a mistake an earlier stage
 * already reported at the same place.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckContext } from '../../../agent/config/checks';
import { formatDiagnostic } from '../../../agent/config/diagnostic';
import { loadConfig } from '../../../agent/workspaceConfig';
import { diagnosticsOf } from '../../../agent/config/loadResult';

const context: CheckContext = { workspace: '/ws', environment: {}, host: 'host', readFile: () => null };

function problems(lines: readonly string[]): string[] {
  return diagnosticsOf(loadConfig({ file: 'taskwarden.yaml', text: `${lines.join('\n')}\n`, context })).map(formatDiagnostic);
}

describe('every problem of a config at once', () => {
  it('reports a misspelt requires, a count that is not a number and an unknown key together', () => {
    assert.deepEqual(
      problems([
        'tasks:',
        '  database:',
        '    commands: {start: [db]}',
        '  web:',
        '    commands: {start: [web]}',
        '    requires: databse',
        '    count: two',
        '    colour: red',
      ]),
      [
        "taskwarden.yaml:6:15: error: requires 'databse', which is not a task (did you mean 'database'?)",
        "taskwarden.yaml:7:12: error: must be a whole number of processes, 0 or more, not 'two'",
        "taskwarden.yaml:8:5: error: unknown key in tasks.web: 'colour'",
      ],
    );
  });

  it('reports problems of several sections and of the top level together', () => {
    assert.deepEqual(
      problems(['watcher: {reservation_ttl: soon}', 'tasks:', '  web: {commands: {start: [web]}, stop_signal: SIGFOO}', 'colours: red']),
      [
        'taskwarden.yaml:1:28: error: watcher.reservation_ttl must be number',
        "taskwarden.yaml:3:48: error: 'SIGFOO' is not a signal on this system (write e.g. HUP, SIGTERM or 15)",
        "taskwarden.yaml:4:1: error: unknown top-level key 'colours'",
      ],
    );
  });

  it('gives a value of the wrong type one diagnostic, not a second one from a check that read it anyway', () => {
    assert.deepEqual(problems(['tasks:', '  web: {commands: {start: [web]}, requires: true}']), [
      'taskwarden.yaml:2:45: error: tasks.web.requires must be string, number, null, array or object',
    ]);
    assert.deepEqual(problems(['tasks:', '  web: {commands: {start: [web]}, restart: [fast]}']), [
      'taskwarden.yaml:2:44: error: tasks.web.restart must be object',
    ]);
    assert.deepEqual(problems(['tasks:', '  web: {commands: {start: [web]}, logs: {max_bytes: 5}}']), [
      'taskwarden.yaml:2:53: error: tasks.web.logs.max_bytes must be >= 1024',
    ]);
  });

  it('gives a list item with a missing key one diagnostic, on the item', () => {
    assert.deepEqual(problems(['tasks:', '  web:', '    commands: {start: [web]}', '    events:', '      - {command: stop}']), [
      "taskwarden.yaml:5:9: error: tasks.web.events[0] is missing required key 'type'",
    ]);
  });

  it('reports a value that is there but empty where it stands, not as missing on its owner', () => {
    assert.deepEqual(problems(['tasks:', '  web:', '    commands:', '      start:']), [
      'taskwarden.yaml:4:13: error: tasks.web.commands.start must be array, string or object',
    ]);
  });

  it('keeps independent problems beside a missing key of the same task', () => {
    assert.deepEqual(problems(['tasks:', '  web:', '    count: two', '    requires: [nothere]']), [
      "taskwarden.yaml:2:3: error: tasks.web is missing required key 'commands'",
      "taskwarden.yaml:3:12: error: must be a whole number of processes, 0 or more, not 'two'",
      "taskwarden.yaml:4:16: error: requires 'nothere', which is not a task",
    ]);
  });

  it('hides nothing inside a task behind an unknown key of that task', () => {
    assert.deepEqual(problems(['tasks:', '  web:', '    commands: {start: [web]}', '    bogus: 1', '    stop_timeout: -1']), [
      "taskwarden.yaml:4:5: error: unknown key in tasks.web: 'bogus'",
      'taskwarden.yaml:5:19: error: tasks.web.stop_timeout must be >= 0',
    ]);
  });
});
