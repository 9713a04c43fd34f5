// Compiles the spawn helper (agent/proc/spawner/spawner.c) into dist/. Filled in
// with the helper itself; until then there is nothing to build.
export function buildSpawner() {}
