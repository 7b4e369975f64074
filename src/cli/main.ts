// `campaign-sync <command>`: the operator CLI. Until its commands land it explains itself.
const usage = [
  'usage: campaign-sync <command>',
  '',
  'Available now: npm start (embedded stack), npm run dev:server, npm run worker.',
  'Operator commands (schedules, run, pause, resume, rerun, approve, reject, status, report, why) are being built.',
].join('\n');

console.log(usage);
process.exitCode = process.argv.length > 2 ? 2 : 0;
