/**
 * Awaits a promise that an unref'd timer settles (the agent's timers never keep
 * it alive): the test holds its process open meanwhile, or node:test ends it
 * with "Promise resolution is still pending but the event loop has already resolved".
 */
export async function alive<T>(promise: Promise<T>): Promise<T> {
  const keep = setInterval(() => undefined, 1000);
  try {
    return await promise;
  } finally {
    clearInterval(keep);
  }
}
