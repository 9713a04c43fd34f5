// Runs first (priority 20 from the file name; higher runs first): notes whether the database daemon runs.
exports.description = 'checks whether the database daemon runs';
exports.main = async (params, ctx) => {
  params.database_up = await ctx.agent.daemons.isRunning('database');
  ctx.log(`round ${ctx.round}: database ${params.database_up ? 'runs' : 'does not run'}`);
};
