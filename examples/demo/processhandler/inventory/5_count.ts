// A TypeScript tasklet (compiled at load): counts rounds in params, which the next tasklet and round see.
export const description = 'counts the rounds this group ran';
export function main(params: { rounds?: number; every?: number }, ctx: { log(line: string): void; round: number }): void {
  params.rounds = (params.rounds ?? 0) + 1;
  if (params.rounds % (params.every ?? 3) === 0) ctx.log(`inventory: ${params.rounds} rounds so far`);
}
