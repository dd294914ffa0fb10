// Turns the raw measurements of bench/server/run.mjs into the table's rows, with the targets where they apply:
// 20,000 idle sockets held; 5,000 messages per second acknowledged with an ack p99 under 50 ms; a start-up with
// 10^6 stored messages under 5 s.
import { figure } from './lib/table.mjs';

const pick = (list, key) => list.map((x) => x[key]);
const sum = (counts) => Object.values(counts ?? {}).reduce((a, b) => a + b, 0);
const n = (v) => v.toLocaleString('en-US');

function idleRows(runs, plan) {
  const { sockets, holdSeconds } = plan.idle;
  const s = 'idle';
  return [
    figure(s, `sockets held after ${holdSeconds} s, of ${n(sockets)} opened`, 'count', pick(runs, 'held'), {
      target: sockets >= 20_000 ? { op: '>=', value: 20_000 } : undefined,
    }),
    figure(
      s,
      'sockets not welcomed (refused, failed)',
      'count',
      runs.map((r) => sum(r.failures)),
    ),
    figure(s, 'connect → welcome p50', 'ms', pick(runs, 'welcomeP50')),
    figure(s, 'connect → welcome p99', 'ms', pick(runs, 'welcomeP99')),
    figure(s, `sockets welcomed per second (${plan.idle.concurrency} at a time)`, '/s', pick(runs, 'openRate')),
    figure(s, 'server RSS before', 'MB', pick(runs, 'rssBefore')),
    figure(s, `server RSS with the sockets held`, 'MB', pick(runs, 'rssAfter')),
    figure(s, 'server RSS per socket held', 'KB', pick(runs, 'rssPerSocket')),
  ];
}

function throughputRows({ steps }, plan) {
  const rows = [];
  for (const rate of plan.throughput.rates) {
    const runs = steps.filter((x) => x.rate === rate);
    const s = `throughput ${rate}`;
    const at = `${n(rate)}/s offered`;
    const top = rate >= 5000;
    rows.push(
      figure(s, `${at}: sent (what the generator managed)`, '/s', pick(runs, 'offered')),
      // Acks are counted as they arrive within the window, so a steady server shows the offered rate within about 1%.
      figure(s, `${at}: acked`, '/s', pick(runs, 'acked'), {
        target: top ? { op: '>=', value: 0.99 * rate } : undefined,
      }),
      figure(s, `${at}: ack latency p50`, 'ms', pick(runs, 'ackP50')),
      figure(s, `${at}: ack latency p99`, 'ms', pick(runs, 'ackP99'), {
        target: top ? { op: '<', value: 50 } : undefined,
      }),
      figure(s, `${at}: ack latency max`, 'ms', pick(runs, 'ackMax')),
      figure(s, `${at}: lost (never acked), duplicate acks, errors, closes`, 'count', [
        ...runs.map((r) => r.lost + r.duplicateAcks + sum(r.errors) + r.closed),
      ]),
    );
    if (plan.throughput.withAgent)
      rows.push(
        figure(s, `${at}: visitor → agent p50`, 'ms', pick(runs, 'agentP50')),
        figure(s, `${at}: visitor → agent p99`, 'ms', pick(runs, 'agentP99')),
        figure(s, `${at}: not delivered to the agent`, 'count', pick(runs, 'agentLost')),
      );
    rows.push(
      figure(s, `${at}: server CPU (100% = one core)`, '%', pick(runs, 'serverCpu')),
      figure(s, `${at}: server CPU per acked message`, 'µs', pick(runs, 'serverCpuPerMessage')),
      figure(s, `${at}: server waited for a core (other load)`, '%', pick(runs, 'serverWait')),
    );
    // The database's own work, when the store is one (PostgreSQL).
    if (runs.some((r) => Number.isFinite(r.dbCpu)))
      rows.push(
        figure(s, `${at}: database CPU (100% = one core)`, '%', pick(runs, 'dbCpu')),
        figure(s, `${at}: database CPU per acked message`, 'µs', pick(runs, 'dbCpuPerMessage')),
        figure(s, `${at}: database transactions committed`, '/s', pick(runs, 'commits')),
        figure(s, `${at}: database WAL flushes`, '/s', pick(runs, 'walSyncs')),
      );
    rows.push(
      figure(s, `${at}: generator CPU`, '%', pick(runs, 'generatorCpu')),
      figure(s, `${at}: generator event-loop delay p99`, 'ms', pick(runs, 'generatorDelayP99')),
      figure(s, `${at}: server RSS after the step`, 'MB', pick(runs, 'rss')),
    );
  }
  return rows;
}

function startupRows(sizes) {
  const rows = [];
  for (const { size, visitors, bytes, runs } of Object.values(sizes)) {
    const s = `startup ${size}`;
    const at = `${n(size)} messages (${n(visitors)} visitors)`;
    rows.push(
      figure(s, `${at}: stored size`, 'MB', [bytes]),
      figure(s, `${at}: spawn → listening`, 'ms', pick(runs, 'listeningMs')),
      figure(s, `${at}: spawn → welcome`, 'ms', pick(runs, 'welcomeMs'), {
        target: size >= 1_000_000 ? { op: '<', value: 5000 } : undefined,
      }),
      figure(s, `${at}: server CPU time until the welcome`, 'ms', pick(runs, 'cpuMs')),
      figure(s, `${at}: server waited for a core meanwhile (other load)`, 'ms', pick(runs, 'waitedMs')),
      figure(s, `${at}: peak RSS (VmHWM)`, 'MB', pick(runs, 'peakRss')),
      figure(s, `${at}: RSS after the welcome`, 'MB', pick(runs, 'rss')),
    );
  }
  return rows;
}

function clusterRows({ nodes, steps }, plan) {
  const { rates, consoles } = plan.cluster;
  const rows = [];
  for (const rate of rates) {
    const runs = steps.filter((x) => x.rate === rate);
    const s = `cluster ${rate}`;
    const at = `${nodes} nodes, ${n(rate)}/s`;
    // The target: three nodes on one database, 1,000 messages/s, to an agent on another node in under 100 ms.
    const judged = nodes >= 3 && rate >= 1000;
    rows.push(
      figure(s, `${at}: sent (what the generator managed)`, '/s', pick(runs, 'offered')),
      figure(s, `${at}: acked`, '/s', pick(runs, 'acked')),
      figure(s, `${at}: ack latency p50`, 'ms', pick(runs, 'ackP50')),
      figure(s, `${at}: ack latency p99`, 'ms', pick(runs, 'ackP99')),
      figure(s, `${at}: lost (never acked), duplicate acks, errors, closes`, 'count', [
        ...runs.map((r) => r.lost + r.duplicateAcks + sum(r.errors) + r.closed),
      ]),
      figure(s, `${at}: visitor on another node → agent p50`, 'ms', pick(runs, 'remoteP50')),
      figure(s, `${at}: visitor on another node → agent p99`, 'ms', pick(runs, 'remoteP99'), {
        target: judged ? { op: '<', value: 100 } : undefined,
      }),
      figure(s, `${at}: visitor on the agent's node → agent p50`, 'ms', pick(runs, 'localP50')),
      figure(s, `${at}: visitor on the agent's node → agent p99`, 'ms', pick(runs, 'localP99')),
      figure(s, `${at}: not delivered to the agent`, 'count', pick(runs, 'agentLost')),
      figure(s, `${at}: agent replies timed (${consoles} console(s), ≤ 2/s each)`, 'count', pick(runs, 'repliesTimed')),
      figure(s, `${at}: agent reply → visitor on another node p50`, 'ms', pick(runs, 'replyP50')),
      figure(s, `${at}: agent reply → visitor on another node p99`, 'ms', pick(runs, 'replyP99')),
      figure(s, `${at}: replies not delivered`, 'count', pick(runs, 'repliesLost')),
      figure(s, `${at}: replies refused (the console's limit, spent when a reply arrives)`, 'count', [
        ...runs.map((r) => r.repliesRefused ?? NaN),
      ]),
      figure(s, `${at}: servers' CPU, all nodes (100% = one core)`, '%', pick(runs, 'serverCpu')),
      figure(s, `${at}: servers' CPU per acked message`, 'µs', pick(runs, 'serverCpuPerMessage')),
      figure(s, `${at}: servers waited for a core (mean of the nodes)`, '%', pick(runs, 'serverWait')),
      figure(s, `${at}: database CPU (100% = one core)`, '%', pick(runs, 'dbCpu')),
      figure(s, `${at}: database CPU per acked message`, 'µs', pick(runs, 'dbCpuPerMessage')),
      figure(s, `${at}: database transactions committed`, '/s', pick(runs, 'commits')),
      figure(s, `${at}: database WAL flushes`, '/s', pick(runs, 'walSyncs')),
      figure(s, `${at}: generator CPU`, '%', pick(runs, 'generatorCpu')),
      figure(s, `${at}: generator event-loop delay p99`, 'ms', pick(runs, 'generatorDelayP99')),
      figure(
        s,
        `${at}: largest node's RSS after the step`,
        'MB',
        runs.map((r) => Math.max(...r.rss)),
      ),
    );
  }
  return rows;
}

function chaosRows({ nodes, runs }, plan) {
  const s = 'chaos';
  const { visitors, seconds, killEvery } = plan.chaos;
  const at = `chaos, ${nodes} node${nodes > 1 ? 's' : ''}, ${n(visitors)} visitors, ${seconds} s`;
  const zero = { op: '=', value: 0 };
  return [
    figure(s, `${at}: kills (SIGKILL, about every ${killEvery} s)`, 'count', pick(runs, 'kills')),
    figure(s, `${at}: replacement started → listening`, 'ms', pick(runs, 'restartMs')),
    figure(s, `${at}: messages written`, 'count', pick(runs, 'sent')),
    figure(s, `${at}: acknowledged`, 'count', pick(runs, 'acked')),
    figure(s, `${at}: lost (acknowledged, not in the history)`, 'count', pick(runs, 'lost'), { target: zero }),
    figure(s, `${at}: duplicated (an id stored twice)`, 'count', pick(runs, 'duplicated'), { target: zero }),
    figure(s, `${at}: gaps in seq`, 'count', pick(runs, 'gaps')),
    figure(s, `${at}: stored at another seq than acknowledged`, 'count', pick(runs, 'moved')),
    figure(s, `${at}: stored, never acknowledged`, 'count', pick(runs, 'stranger')),
    figure(s, `${at}: still unacknowledged at the end`, 'count', pick(runs, 'unacked')),
    figure(s, `${at}: histories that could not be read`, 'count', pick(runs, 'unread')),
    figure(s, `${at}: reconnects`, 'count', pick(runs, 'reconnects')),
    figure(s, `${at}: messages resent`, 'count', pick(runs, 'resends')),
    figure(s, `${at}: written → acknowledged p50`, 'ms', pick(runs, 'ackP50')),
    figure(s, `${at}: written → acknowledged p99`, 'ms', pick(runs, 'ackP99')),
    figure(s, `${at}: written → acknowledged max`, 'ms', pick(runs, 'ackMax')),
  ];
}

export function buildRows(raw, plan) {
  return [
    ...(raw.idle ? idleRows(raw.idle, plan) : []),
    ...(raw.throughput ? throughputRows(raw.throughput, plan) : []),
    ...(raw.startup ? startupRows(raw.startup) : []),
    ...(raw.cluster ? clusterRows(raw.cluster, plan) : []),
    ...(raw.chaos ? chaosRows(raw.chaos, plan) : []),
  ];
}
