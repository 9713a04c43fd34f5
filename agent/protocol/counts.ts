/** One wording of counts for both clients: "1 error", "3 errors". */
export function counted(count: number, word: string, plural = `${word}s`): string {
  return `${count} ${count === 1 ? word : plural}`;
}
