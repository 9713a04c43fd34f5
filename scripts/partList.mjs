// The part folders of agent/, read from the one list (agent/parts.ts): its
// import lines (`import { queuesModule } from './queues';`) name each module's
// folder, its `PARTS = [...]` array their order. The build, the
// schema composition and eslint.config.mjs take the parts from here, so a new
// part is one line in agent/parts.ts for them too.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The names of the parts' folders under agent/, in agent/parts.ts's order. */
export function partNames(root) {
  const list = readFileSync(path.join(root, 'agent/parts.ts'), 'utf8');
  const folders = new Map([...list.matchAll(/^import \{ (\w+) \} from '\.\/(\w+)';$/gm)].map((match) => [match[1], match[2]]));
  const array = /PARTS[^=]*=\s*\[([^\]]*)\]/.exec(list)?.[1] ?? '';
  const names = array
    .split(',')
    .map((module) => module.trim())
    .filter((module) => module !== '')
    .map((module) => folders.get(module));
  if (names.length === 0 || names.includes(undefined))
    throw new Error("agent/parts.ts: expected `import { xModule } from './x';` lines and `PARTS = [xModule, …]` naming them");
  return names;
}
