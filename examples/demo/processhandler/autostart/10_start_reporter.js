// The seed's "autostart": our service runs only while the one it needs runs.
// (Try `taskwarden stop database`: the next round stops the reporter; `taskwarden start database` brings it back.)
exports.description = 'keeps the reporter daemon running only while the database runs';
exports.main = async (params, ctx) => {
  const reporter = await ctx.agent.daemons.status(params.service);
  if (params.database_up && !reporter.running) {
    ctx.log(`starting ${params.service}: ${params.needs} runs`);
    await ctx.agent.daemons.start(params.service);
  } else if (!params.database_up && reporter.running) {
    ctx.log(`stopping ${params.service}: ${params.needs} does not run`);
    await ctx.agent.daemons.stop(params.service);
  }
};
