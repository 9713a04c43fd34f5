/**
 * "Push Command…" on a queue: asks for the command line (split into argv with
 * quotes honoured, no shell, by the splitter Launch Task uses), an optional cwd
 * (relative to the queue's workdir) and optional env (NAME=VALUE separated by
 * spaces), then pushes one item.
 */
import * as vscode from 'vscode';
import { PushItemsRequest, type PushItemSpec } from '../../agent/queues/protocol';
import type { AgentApi } from '../shared/agentApi';
import { splitCommandLine } from '../tasks/taskCommandLine';
import { parseEnvLine } from './queueEnvLine';

/** Asks and pushes; resolves with the new id, or undefined when the user cancelled. */
export async function pushCommandTo(agent: AgentApi, queue: string): Promise<string | undefined> {
  const line = await vscode.window.showInputBox({
    title: `Push to ${queue} (1/3): command line`,
    prompt: 'The command and its arguments, quoted like a shell (no shell runs it)',
    ignoreFocusOut: true,
    validateInput: (value) => {
      if (value.trim() === '') return 'Type a command';
      const split = splitCommandLine(value);
      return split.ok ? undefined : `${split.message} (at character ${split.offset + 1})`;
    },
  });
  if (line === undefined) return undefined;
  const split = splitCommandLine(line);
  if (!split.ok) return undefined;
  const cwd = await vscode.window.showInputBox({
    title: `Push to ${queue} (2/3): working directory`,
    prompt: "Relative to the queue's workdir; empty for the workdir itself",
    ignoreFocusOut: true,
  });
  if (cwd === undefined) return undefined;
  const envLine = await vscode.window.showInputBox({
    title: `Push to ${queue} (3/3): environment`,
    prompt: 'NAME=VALUE pairs separated by spaces; empty for none',
    ignoreFocusOut: true,
    validateInput: (value) => {
      const parsed = parseEnvLine(value);
      return parsed.ok ? undefined : parsed.message;
    },
  });
  if (envLine === undefined) return undefined;
  const env = parseEnvLine(envLine);
  if (!env.ok) return undefined;
  const spec: PushItemSpec = {
    cmd: split.argv,
    ...(cwd.trim() === '' ? {} : { cwd: cwd.trim() }),
    ...(Object.keys(env.env).length === 0 ? {} : { env: env.env }),
  };
  const result = await agent.request(PushItemsRequest.type, { queue, items: [spec] });
  return result.ids[0];
}
