import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { readGroupsConfig } from '../../../agent/groups/config/groupsConfig';
import { folderLanguage, groupSettings, sameSettings } from '../../../agent/groups/groupFolders';
import { TaskletBoard } from '../../../agent/groups/groupStatus';
import { recordOf } from '../../../agent/groups/roundRecord';
import { readParamsFile } from '../../../agent/groups/params/paramsFile';
import { folderFingerprint, loadTasklets } from '../../../agent/groups/runner/taskletLoader';
import type { TaskletInfo } from '../../../agent/groups/protocol';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tw-groups-unit-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const context = { workspace: root, environment: {}, host: 'h', readFile: () => null };

describe('the groups section', () => {
  it('reads root, params_root, interval, time_limit, history and per-group overrides, with their problems', () => {
    const { diagnostics, value } = readGroupsConfig(
      {
        groups: {
          root: 'apps/ph',
          params_root: 'cfg/ph',
          interval: 2,
          each: { mon: { interval: 5, enabled: false }, bad: { interval: 0, x: 1 } },
        },
      },
      context,
    );
    assert.equal(value.root, path.join(root, 'apps/ph'));
    assert.equal(value.paramsRoot, path.join(root, 'cfg/ph'));
    assert.equal(value.intervalSeconds, 2);
    assert.deepEqual(value.each.get('mon'), { intervalSeconds: 5, enabled: false });
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.path.join('.'), diagnostic.message]),
      [
        ['groups.each.bad.x', "unknown key 'x' (expected interval, time_limit, enabled)"],
        ['groups.each.bad.interval', 'interval must be a number of seconds above 0'],
      ],
    );
    const defaults = readGroupsConfig({ groups: null }, context).value;
    assert.equal(defaults.root, path.join(root, 'processhandler'));
    assert.equal(defaults.paramsRoot, defaults.root, 'params next to the tasklets by default');
  });
});

describe('hot reload decisions', () => {
  const folder = path.join(root, 'processhandler', 'g');
  fs.mkdirSync(folder, { recursive: true });

  it('loads again only when a tasklet file was added, removed or edited (not for other files)', async () => {
    fs.writeFileSync(path.join(folder, 'a.js'), 'exports.main = () => 1;\n');
    const first = folderFingerprint(folder);
    fs.writeFileSync(path.join(folder, 'notes.txt'), 'x');
    fs.writeFileSync(path.join(folder, 'params.yaml'), 'a: 1\n');
    assert.equal(folderFingerprint(folder), first, 'params and other files are not tasklets');
    fs.writeFileSync(path.join(folder, 'a.js'), 'exports.main = () => 22;\n');
    assert.notEqual(folderFingerprint(folder), first, 'an edit');
    const loaded = await loadTasklets(folder);
    assert.equal(loaded.runnable[0]!.main({}, {} as never), 22, 'the edited file is what runs');
  });

  it('skips a file without main and reports it at its file, and finds the line of main', async () => {
    fs.writeFileSync(
      path.join(folder, 'b.ts'),
      '// a tasklet\n\nexport const description = "d";\nexport async function main(): Promise<void> {}\n',
    );
    fs.writeFileSync(path.join(folder, 'nomain.js'), 'exports.other = 1;\n');
    const loaded = await loadTasklets(folder);
    assert.deepEqual(
      loaded.infos.map((info) => [info.name, info.mainLine, info.description]),
      [
        ['a.js', 1, null],
        ['b.ts', 4, 'd'],
      ],
    );
    assert.deepEqual(
      loaded.problems.map((problem) => [path.basename(problem.file), problem.line, problem.message]),
      [['nomain.js', 1, 'nomain.js has no main(params, ctx) export: skipped']],
    );
  });

  it('restarts a runner only for what needs it: a settings change is compared field by field', () => {
    const config = readGroupsConfig({ groups: { interval: 1 } }, context).value;
    const before = groupSettings(config, 'g');
    assert.ok(sameSettings(before, groupSettings(config, 'g')));
    const faster = groupSettings(readGroupsConfig({ groups: { interval: 0.5 } }, context).value, 'g');
    assert.ok(!sameSettings(before, faster));
    fs.writeFileSync(path.join(folder, 'x.py'), 'def main(params, ctx): pass\n');
    assert.match(folderLanguage(folder).problem!, /mixes Python and JavaScript/);
    fs.rmSync(path.join(folder, 'x.py'));
  });

  it('keeps what is known of a tasklet across a reload and applies a round to it', () => {
    const info = (name: string): TaskletInfo => ({
      name,
      file: `/f/${name}`,
      priority: 1,
      prioritySource: 'default',
      description: null,
      mainLine: 1,
      hasMatch: false,
    });
    const board = new TaskletBoard();
    board.loaded([info('a.js')]);
    board.apply(
      recordOf({
        group: 'g',
        round: 1,
        startedAt: 100,
        endedAt: 120,
        endedBy: 'done',
        results: [{ name: 'a.js', outcome: 'error', matched: true, startedAt: 101, durationMs: 3, error: { message: 'x', stack: [] } }],
      }),
    );
    const after = board.statuses();
    assert.equal(after[0]!.lastRunAt, 101);
    assert.equal(after[0]!.lastError?.message, 'x');
    board.loaded([info('a.js'), info('b.js')]);
    const reloaded = board.statuses();
    assert.equal(reloaded[0]!.lastRunAt, 101, 'kept across the reload');
    assert.equal(reloaded[1]!.outcome, null);
    assert.equal(after[0]!.lastRunAt, 101, 'a status once given out does not change');
  });

  it('reads params.yaml with its problems at their line, and says when both files exist', () => {
    const paramsFolder = path.join(root, 'cfg', 'g');
    fs.mkdirSync(paramsFolder, { recursive: true });
    fs.writeFileSync(path.join(paramsFolder, 'params.yaml'), 'a: 1\nb: [1, 2\n');
    const broken = readParamsFile(paramsFolder);
    assert.equal(broken.params, null);
    assert.equal(broken.problems[0]!.line, 3);
    fs.writeFileSync(path.join(paramsFolder, 'params.yaml'), 'a: 1\n');
    fs.writeFileSync(path.join(paramsFolder, 'params.ini'), '[main]\na=2\n');
    const both = readParamsFile(paramsFolder);
    assert.deepEqual(both.params, { a: 1 });
    assert.match(both.problems[0]!.message, /both params.yaml and params.ini: params.yaml is used/);
  });
});
