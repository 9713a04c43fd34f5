import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completionPlace, declaredCandidates, listerAt } from '../../../agent/cli/completion/complete';
import { completionScript } from '../../../agent/cli/completion/completionScripts';
import { buildProgram } from '../../../agent/taskwarden';

/** What commander declares for the last word, and whether names from the agent would be asked for. */
function offered(words: string[]): { declared: string[]; names: boolean } {
  const place = completionPlace(buildProgram(), words);
  const current = words.at(-1)!;
  return {
    declared: declaredCandidates(place, current).filter((word) => word.startsWith(current)),
    names: listerAt(place, current) !== undefined,
  };
}

describe('completion walks the program commander built', () => {
  it('offers subcommands, then flags of the command and the global ones', () => {
    assert.deepEqual(offered(['ta']), { declared: ['task'], names: false });
    assert.deepEqual(offered(['task', 'k']), { declared: ['kill', 'killall'], names: false });
    assert.ok(offered(['logs', 'web', '--']).declared.includes('--timestamps'));
    assert.ok(offered(['logs', 'web', '--']).declared.includes('--workspace'));
  });

  it('asks for names where an argument is marked, not where a value or a file is expected', () => {
    assert.equal(offered(['stop', '']).names, true);
    assert.equal(offered(['stop', 'web', '']).names, true, 'a variadic argument repeats');
    assert.equal(offered(['logs', '-n', '']).names, false);
    assert.equal(offered(['-w', '/tmp', 'ps', '']).names, true);
    assert.equal(completionPlace(buildProgram(), ['-w', '/srv/app', 'ps', '']).workspace, '/srv/app');
    assert.equal(offered(['-f', '']).names, false);
    assert.deepEqual(offered(['-f', '']).declared, []);
    assert.equal(offered(['status', '']).names, false);
  });

  it('lists argument choices, and no hidden command', () => {
    assert.deepEqual(offered(['completion', '']).declared, ['bash', 'zsh', 'fish']);
    assert.ok(!offered(['']).declared.includes('__complete'));
  });

  it('prints scripts that call __complete', () => {
    for (const shell of ['bash', 'zsh', 'fish'] as const) assert.match(completionScript(shell), /taskwarden __complete/);
  });
});
