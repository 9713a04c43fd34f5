// match() with lastRun: runs at most once an hour, whatever the group's interval.
exports.match = (params, ctx) => Date.now() - ctx.lastRun > 3600 * 1000;
exports.main = (params, ctx) => {
  ctx.log(`hourly inventory of ${params.folders.join(', ')}`);
};
