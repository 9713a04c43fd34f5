/**
 * `taskwarden __complete WORD…` (hidden; what the completion scripts call):
 * the candidates for the last word, one per line. The words before it are
 * walked through the program as commander built it (subcommands, options
 * that take a value, positional arguments), so a new command or flag
 * completes with no change here. Names (daemons, task ids, queues, jobs) come
 * from the workspace's running agent through the lister its argument was
 * marked with (argumentNames.ts); none runs: no names, and no agent is started.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Argument, Command, Option } from 'commander';
import type { MessageConnection } from 'vscode-jsonrpc';
import type { NameLister } from '../../core/part';
import { connectToAgent } from '../agentClient';
import { listerOf } from './argumentNames';

/** Where the words before the current one leave the command line. */
export interface CompletionPlace {
  readonly command: Command;
  /** How many positional arguments were given to `command`. */
  readonly positionals: number;
  /** The option whose value the current word is, if any. */
  readonly valueOf: Option | null;
  /** The workspace the words name (-w), if any. */
  readonly workspace: string | undefined;
}

function ancestry(command: Command): Command[] {
  const chain: Command[] = [];
  for (let at: Command | null = command; at; at = at.parent) chain.push(at);
  return chain;
}

function optionNamed(command: Command, word: string): Option | undefined {
  for (const scope of ancestry(command)) {
    const found = scope.options.find((option) => option.short === word || option.long === word);
    if (found) return found;
  }
  return undefined;
}

/** Walks the words before the current one (the last of `words`). */
export function completionPlace(program: Command, words: readonly string[]): CompletionPlace {
  let command = program;
  let positionals = 0;
  let valueOf: Option | null = null;
  let workspace: string | undefined;
  for (const word of words.slice(0, -1)) {
    if (valueOf !== null) {
      if (valueOf.long === '--workspace') workspace = word;
      valueOf = null;
      continue;
    }
    if (word.startsWith('-') && word !== '-') {
      const option = word.includes('=') ? undefined : optionNamed(command, word);
      if (option && (option.required || option.optional)) valueOf = option;
      continue;
    }
    const sub =
      positionals === 0 ? command.commands.find((candidate) => candidate.name() === word || candidate.aliases().includes(word)) : undefined;
    if (sub) command = sub;
    else positionals += 1;
  }
  return { command, positionals, valueOf, workspace };
}

/** The argument the next positional word is: the variadic last one repeats. */
function argumentAt(command: Command, index: number): Argument | undefined {
  const declared = command.registeredArguments;
  const last = declared.at(-1);
  return declared[index] ?? (last?.variadic ? last : undefined);
}

/** Subcommands and flags: what commander's help shows (hidden ones left out). */
export function declaredCandidates(place: CompletionPlace, current: string): string[] {
  if (place.valueOf !== null) return [];
  const help = place.command.createHelp();
  if (current.startsWith('-')) {
    const flags = ancestry(place.command).flatMap((scope) => help.visibleOptions(scope).flatMap((option) => [option.long, option.short]));
    return [...new Set(flags.filter((flag): flag is string => flag !== undefined))];
  }
  const choices = argumentAt(place.command, place.positionals)?.argChoices ?? [];
  if (place.positionals === 0) return [...help.visibleCommands(place.command).map((sub) => sub.name()), ...choices];
  return [...choices];
}

/** The names lister of the argument the current word is, if it has one. */
export function listerAt(place: CompletionPlace, current: string): NameLister | undefined {
  if (place.valueOf !== null || current.startsWith('-')) return undefined;
  const argument = argumentAt(place.command, place.positionals);
  return argument ? listerOf(argument) : undefined;
}

/** How long completion waits for the agent before it offers no names. */
const AGENT_WAIT_MS = 1500;

/** Names from the workspace's running agent, or none (no agent, too slow, a failed request). */
async function agentNames(workspace: string, lister: NameLister): Promise<readonly string[]> {
  let folder: string;
  try {
    folder = fs.realpathSync(path.resolve(workspace));
  } catch {
    return [];
  }
  let close = (): void => undefined;
  const work = (async (): Promise<readonly string[]> => {
    const attempt = await connectToAgent(folder, 'completion');
    if (!attempt.ok) return [];
    const agent = attempt.value;
    close = () => agent.close();
    return lister(agent.connection as MessageConnection);
  })().catch(() => []);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<readonly string[]>((resolve) => (timer = setTimeout(() => resolve([]), AGENT_WAIT_MS)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
    close();
  }
}

/** Every candidate for the last of `words` (the word being typed, '' for a new one). */
export async function completeWords(program: Command, words: readonly string[]): Promise<string[]> {
  const all = words.length === 0 ? [''] : words;
  const current = all.at(-1)!;
  const place = completionPlace(program, all);
  const lister = listerAt(place, current);
  const names = lister ? await agentNames(place.workspace ?? process.cwd(), lister) : [];
  const candidates = [...declaredCandidates(place, current), ...names];
  return [...new Set(candidates)].filter((candidate) => candidate.startsWith(current));
}
