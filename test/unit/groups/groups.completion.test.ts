import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupsLanguageContribution } from '../../../agent/groups/languageContribution';
import type { GroupSummary } from '../../../agent/groups/protocol';
import { withCursor } from '../server/cursorText';

// Only the names matter here; the rest of a summary is the lenses' business.
const contribution = groupsLanguageContribution(() => ['backup', 'cleanup', 'monitor'].map((name) => ({ name }) as GroupSummary));

function complete(marked: string) {
  const { text, line, character } = withCursor(marked);
  return contribution.completion!(text, line, character);
}

describe('group names under groups.each', () => {
  it('completes the group folders not listed yet, each opening its overrides', () => {
    const items = complete('groups:\n  interval: 5\n  each:\n    backup: {interval: 60}\n    ‸');
    assert.deepEqual(
      items.map((item) => item.label),
      ['cleanup', 'monitor'],
    );
    assert.deepEqual(items[0]?.textEdit, {
      range: { start: { line: 4, character: 4 }, end: { line: 4, character: 4 } },
      newText: 'cleanup:\n  $0',
    });
  });

  it('offers no group names elsewhere in the section', () => {
    assert.deepEqual(complete('groups:\n  ‸'), []);
    assert.deepEqual(complete('groups:\n  each:\n    backup:\n      ‸'), []);
  });
});
