/** A YAML text with the cursor written as `‸`, for the editing-help tests: the text without it, and the cursor's line and character. */
export function withCursor(marked: string): { text: string; line: number; character: number } {
  const offset = marked.indexOf('‸');
  if (offset < 0) throw new Error('no ‸ in the text');
  const before = marked.slice(0, offset).split('\n');
  return { text: marked.replace('‸', ''), line: before.length - 1, character: before.at(-1)!.length };
}
