/**
 * The commented taskwarden.yaml that "Create taskwarden.yaml from a Template"
 * writes (the getting-started walkthrough's first step): one daemon, one
 * one-shot task, one queue and one job, each small enough to read at a glance
 * and valid as it is (test/unit/extension/configTemplate.test.ts loads it).
 */

/** The file's text. */
export const CONFIG_TEMPLATE = `# taskwarden.yaml: what Taskwarden runs in this workspace. Edit it while it runs: changes apply live.
# Hover a key for its documentation; mistakes show in the Problems panel.

# Daemons and one-shot tasks, in taskforce's format: each is kept running (or run once) by the agent.
tasks:
  # A daemon: restarted when it exits, its output in "Show Output" (the Daemons view).
  web:
    commands:
      start: [sh, -c, 'while :; do echo "serving at $(date +%T)"; sleep 5; done']
  # A task that runs once when the agent starts, before what requires it.
  setup:
    control: once
    commands:
      start: [sh, -c, 'echo "preparing the workspace"']

# Command queues: one command at a time per queue (see the Queues view, or
# \`taskwarden queue push builds -- sh -c 'echo building; sleep 2'\`).
queues:
  builds:
    workdir: .

# Scheduled jobs: a handler run on a schedule; each run gives a check state (OK, WARNING, CRITICAL, UNKNOWN).
jobs:
  heartbeat:
    task: command
    schedule: { every: 5m }
    params:
      # A Nagios-style plugin: exit 0-3 is the state, the first line the output.
      cmd: [sh, -c, 'echo "OK - alive"']

# Tracked tasks are launched, not configured: \`taskwarden launch --taskid ID -- CMD...\`
# or "Launch Task" in the Tasks view. Process groups: see \`groups:\` in the README.
`;
