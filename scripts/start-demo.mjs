// `npm start`: runs the agent in the foreground on the bundled demo workspace
// and shows a live status until Ctrl-C, which stops the agent and everything
// it started. Uses only what `npm run build` produced.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'taskwarden.js');
const workspace = path.join(root, 'examples', 'demo');
if (!existsSync(cli)) {
  console.error('dist/taskwarden.js is missing: run `npm run build` first.');
  process.exit(1);
}
mkdirSync(workspace, { recursive: true });

// The V8 flags a detached agent runs with (see AGENT_NODE_FLAGS in agent/cli/agentClient.ts).
const nodeFlags = JSON.parse(readFileSync(path.join(root, 'agent', 'cli', 'agentNodeFlags.json'), 'utf8'));
// The agent and the live view share the terminal's process group, so Ctrl-C reaches both.
// The live view owns the screen: the agent's log stays in its file (--no-echo).
const agent = spawn(process.execPath, [...nodeFlags, cli, 'agent', '--no-echo', '-w', workspace], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
// The live view must not start a second (detached) agent: wait until ours answers.
const deadline = Date.now() + 20_000;
while (spawnSync(process.execPath, [cli, 'status', '--no-start', '-w', workspace]).status !== 0) {
  if (agent.exitCode !== null || Date.now() > deadline) {
    console.error('the agent did not start; see examples/demo/.taskwarden/logs/agent.log');
    agent.kill('SIGINT');
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
const watch = spawn(process.execPath, [cli, 'watch', '--no-start', '-w', workspace], { stdio: 'inherit' });

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  watch.kill('SIGINT');
  agent.kill('SIGINT');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
agent.on('exit', (code) => {
  if (!stopping && code) console.error(`the agent exited with code ${code}; see examples/demo/.taskwarden/logs/agent.log`);
  watch.kill('SIGINT');
  process.exitCode = stopping ? 0 : (code ?? 0);
});
