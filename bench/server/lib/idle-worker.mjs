// One process of the idle scenario's load generator (bench/server/scenarios/idle.mjs forks several): every socket is
// a file descriptor, so a share of the sockets per process keeps each under its open-file limit, however many the
// server is asked to hold. Driven over the IPC channel:
//   { type: 'open', url, from, count, concurrency }  → { type: 'opened', welcomeMs, failures, seconds, welcomed, fileLimit }
//   { type: 'count' }                                → { type: 'count', held }   (welcomed and still open)
//   { type: 'close' }                                → { type: 'closed' }, then the process exits
import { fileLimit } from './proc.mjs';
import { closeVisitors, openVisitors } from './visitors.mjs';

let visitors = [];

process.on('message', async (message) => {
  if (message.type === 'open') {
    const { url, from, count, concurrency } = message;
    const opened = await openVisitors(url, { from, count, concurrency });
    visitors = opened.visitors;
    process.send({
      type: 'opened',
      welcomeMs: opened.welcomeMs,
      failures: opened.failures,
      seconds: opened.seconds,
      welcomed: visitors.length,
      fileLimit: fileLimit(),
    });
  } else if (message.type === 'count') {
    process.send({ type: 'count', held: visitors.filter((v) => !v.closed).length });
  } else if (message.type === 'close') {
    await closeVisitors(visitors);
    process.send({ type: 'closed' }, () => process.exit(0));
  }
});
