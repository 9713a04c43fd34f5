import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckContext } from '../../../agent/config/checks';
import { configSymbols } from '../../../agent/server/configSymbols';
import { didYouMeanActions } from '../../../agent/server/didYouMeanFixes';
import { keyHover, mergedHover } from '../../../agent/server/keyHover';
import { toLspDiagnostic } from '../../../agent/server/languageFeatures';
import { loadConfig } from '../../../agent/workspaceConfig';
import { withCursor } from './cursorText';
import { diagnosticsOf } from '../../../agent/config/loadResult';

const context: CheckContext = { workspace: '/ws', environment: {}, host: 'host', readFile: () => null };

function hoverText(marked: string): string | null {
  const { text, line, character } = withCursor(marked);
  const hover = keyHover(text, line, character);
  return hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : null;
}

/** The text after applying the quick fix of each did-you-mean diagnostic the loader reports for it. */
function fixed(text: string): { titles: string[]; text: string } {
  const document = TextDocument.create('file:///ws/taskwarden.yaml', 'yaml', 1, text);
  const diagnostics = diagnosticsOf(loadConfig({ file: 'taskwarden.yaml', text, context })).map(toLspDiagnostic);
  const actions = didYouMeanActions(document, diagnostics);
  const edits = actions.flatMap((action) => action.edit?.changes?.[document.uri] ?? []);
  return { titles: actions.map((action) => action.title), text: TextDocument.applyEdits(document, edits) };
}

describe('hover documentation of keys', () => {
  it("shows a key's description from the schema, at any depth, following $ref into the daemons schema", () => {
    assert.equal(
      hoverText('que‸ues: {}'),
      '`queues`: ' + 'Named FIFO command queues (taskwarden queue push NAME -- CMD…): items run in push order, `concurrency` at a time.',
    );
    assert.match(hoverText('tasks:\n  web:\n    stop_t‸imeout: 3')!, /^`stop_timeout`: Seconds between the stop signal and SIGKILL/);
    assert.match(
      hoverText('tasks:\n  web:\n    restart:\n      crash_l‸oop: false')!,
      /^`crash_loop`: Stop restarting after 'count' quick exits/,
    );
    assert.match(hoverText('tasks:\n  web:\n    events:\n      - ty‸pe: self')!, /^`type`: file_change: a file of 'path' changed/);
    assert.match(hoverText('jobs:\n  j:\n    cat‸ch_up: one')!, /^`catch_up`: Occurrences missed while the agent was down/);
  });

  it('says nothing on a name the user chose (the parts explain a daemon or a job), a value or an unknown key', () => {
    assert.equal(hoverText('tasks:\n  w‸eb: {}'), null);
    assert.equal(hoverText('jobs:\n  nigh‸tly: {task: noop}'), null);
    assert.equal(hoverText('tasks:\n  web:\n    control: on‸ce'), null);
    assert.equal(hoverText('tasks:\n  web:\n    contr‸ol_typo: once'), null);
  });

  it("puts a part's hover first and the key's documentation below a rule", () => {
    const merged = mergedHover([{ contents: { kind: 'markdown', value: '**web** running' } }, null, { contents: 'plain' }]);
    assert.deepEqual(merged, { contents: { kind: 'markdown', value: '**web** running\n\n---\n\nplain' } });
    assert.equal(mergedHover([null, null]), null);
  });
});

describe('quick fixes for "did you mean" diagnostics', () => {
  it('replaces a misspelt key the schema does not know by the closest one it declares', () => {
    const result = fixed('tasks:\n  web:\n    commands: {start: [web]}\n    restart: {max_dlay: 3}\nqeues: {}\n');
    assert.deepEqual(result.titles, ["Change 'max_dlay' to 'max_delay'", "Change 'qeues' to 'queues'"]);
    assert.equal(result.text, 'tasks:\n  web:\n    commands: {start: [web]}\n    restart: {max_delay: 3}\nqueues: {}\n');
  });

  it("replaces a misspelt daemon key, a task named in requires or onexit, and a job's key and handler", () => {
    const text = [
      'tasks:',
      '  database: {commands: {start: [db]}, control: once}',
      '  web:',
      '    commands: {start: [web]}',
      '    requires: [databse]',
      '    stop_timout: 3',
      '    onexit: [{type: start, task: "datbase"}]',
      'jobs:',
      '  j: {task: comand, enabeld: true}',
      '',
    ].join('\n');
    const result = fixed(text);
    assert.equal(result.titles.length, 5, result.titles.join('; '));
    assert.equal(
      result.text,
      text
        .replace('[databse]', '[database]')
        .replace('stop_timout', 'stop_timeout')
        .replace('"datbase"', '"database"')
        .replace('comand', 'command')
        .replace('enabeld', 'enabled'),
    );
  });

  it('offers no fix where nothing is close', () => {
    assert.deepEqual(fixed('tasks:\n  web:\n    commands: {start: [web]}\n    requires: [zzzzzz]\n').titles, []);
  });
});

describe('the outline of taskwarden.yaml', () => {
  it('shows each section with its entries as children, each spanning its lines', () => {
    const text = [
      'tasks:',
      '  web:',
      '    commands: {start: [web]}',
      '  db: {commands: {start: [db]}}',
      'queues:',
      '  build: {}',
      'jobs:',
      '  nightly: {task: noop}',
      'groups:',
      '  root: processhandler',
      '',
    ].join('\n');
    const symbols = configSymbols(text);
    assert.deepEqual(
      symbols.map((symbol) => [symbol.name, symbol.range.start.line, (symbol.children ?? []).map((child) => child.name)]),
      [
        ['tasks', 0, ['web', 'db']],
        ['queues', 4, ['build']],
        ['jobs', 6, ['nightly']],
        ['groups', 8, ['root']],
      ],
    );
    const web = symbols[0]!.children![0]!;
    assert.deepEqual([web.range.start.line, web.range.end.line, web.selectionRange.end.character], [1, 2, 5]);
  });
});
