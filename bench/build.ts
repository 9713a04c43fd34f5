/**
 * Builds the helpers a run needs: the C fixtures (`gcc -O2`, static when the toolchain allows)
 * into a cache folder outside the repository, keyed by a hash of their source, and the Node
 * floor programs bundled by esbuild into plain .mjs files, so the floors run on bare `node`
 * without the TypeScript loader's start-up and memory.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { build, stop } from 'esbuild';

export const C_HELPERS = ['stamp', 'lines', 'minsup', 'fleet', 'spawnloop', 'forkloop'] as const;
export type CHelper = (typeof C_HELPERS)[number];

export const NODE_PROGRAMS = ['restart', 'fleet', 'logPipe', 'taskLoop'] as const;
export type NodeProgram = (typeof NODE_PROGRAMS)[number];

export interface BuiltHelpers {
  readonly bin: Record<CHelper, string>;
  readonly node: Record<NodeProgram, string>;
  /** "static" or why it fell back to a dynamic build. */
  readonly linkage: string;
}

function cacheRoot(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'taskwarden-bench');
}

function gccVersion(): string {
  try {
    return execFileSync('gcc', ['-dumpfullversion'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('gcc not found: the benchmark compiles its C fixtures (apt-get install -y gcc libc6-dev)');
  }
}

function compile(source: string, output: string, linkStatic: boolean): void {
  const flags = ['-O2', '-Wall', '-Wextra', ...(linkStatic ? ['-static'] : [])];
  // Build beside the target and rename, so a concurrent run never sees half a binary.
  const partial = `${output}.${process.pid}.tmp`;
  execFileSync('gcc', [...flags, '-o', partial, source], { stdio: ['ignore', 'ignore', 'pipe'] });
  renameSync(partial, output);
}

function buildC(fixtures: string): { bin: Record<CHelper, string>; linkage: string } {
  const hash = createHash('sha256').update(gccVersion());
  for (const name of C_HELPERS) hash.update(readFileSync(join(fixtures, `${name}.c`)));
  const folder = join(cacheRoot(), hash.digest('hex').slice(0, 16));
  mkdirSync(folder, { recursive: true });
  const linkageFile = join(folder, 'linkage.txt');
  let linkage = existsSync(linkageFile) ? readFileSync(linkageFile, 'utf8').trim() : 'static';
  const bin = {} as Record<CHelper, string>;
  for (const name of C_HELPERS) {
    const output = join(folder, name);
    bin[name] = output;
    if (existsSync(output)) continue;
    try {
      compile(join(fixtures, `${name}.c`), output, true);
    } catch (error: unknown) {
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      linkage = `dynamic (static link failed: ${why})`;
      compile(join(fixtures, `${name}.c`), output, false);
    }
  }
  writeFileSync(linkageFile, `${linkage}\n`);
  return { bin, linkage };
}

async function bundleNode(programs: string, outdir: string): Promise<Record<NodeProgram, string>> {
  await build({
    entryPoints: NODE_PROGRAMS.map((name) => join(programs, `${name}.ts`)),
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    logLevel: 'error',
  });
  await stop(); // esbuild keeps a service process otherwise

  const paths = {} as Record<NodeProgram, string>;
  for (const name of NODE_PROGRAMS) paths[name] = join(outdir, `${name}.mjs`);
  return paths;
}

/** Compiles (or reuses) the C helpers and bundles the Node floors into `tempRoot`. */
export async function buildHelpers(benchRoot: string, tempRoot: string): Promise<BuiltHelpers> {
  const { bin, linkage } = buildC(join(benchRoot, 'fixtures'));
  const node = await bundleNode(join(benchRoot, 'floor', 'programs'), join(tempRoot, 'floor'));
  return { bin, node, linkage };
}
