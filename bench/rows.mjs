// Turns the raw measurements of bench/run.mjs into the table's rows, with the targets.
import { row } from './lib/report.mjs';

const KB = 1024;
const pick = (list, key) => list.map((x) => x[key]);

/** Per round: a - b (the time a page adds to the page without the widget). */
const minus = (a, b) => a.map((v, i) => v - b[i]);

function bytesRows({ bundles, groups, floor }) {
  const rows = [];
  // The targets are for the widget's module build: 20 KB for what the launcher path loads, 45 KB for everything an
  // English page loads (language chunks aside, one per page at most).
  const targets = { launcher: 20 * KB, all: 45 * KB };
  const labels = {
    launcher: 'launcher path (jivo-widget.js + static chunks)',
    all: 'whole module build (+ lazy chunks but the languages)',
  };
  for (const [group, size] of Object.entries(groups ?? {})) {
    for (const kind of ['raw', 'gzip', 'brotli']) {
      rows.push(
        row('bytes', `${labels[group]} ${kind}`, 'KB', [size[kind]], {
          floor: floor[kind],
          target: kind === 'brotli' && targets[group] ? { of: 'value', op: '<=', value: targets[group] } : undefined,
        }),
      );
    }
  }
  for (const [file, size] of Object.entries(bundles)) {
    for (const kind of ['raw', 'gzip', 'brotli'])
      rows.push(row('bytes', `${file} ${kind}`, 'KB', [size[kind]], { floor: floor[kind] }));
  }
  for (const kind of ['raw', 'gzip', 'brotli'])
    rows.push(row('bytes', `floor bundle ${kind} (reference)`, 'KB', [floor[kind]]));
  return rows;
}

/** The --against build's main load figures, measured in the same rounds as this build's. */
function againstRows(against, none, floor, at) {
  const name = (figure) => `${figure}, ${at}, --against build`;
  return [
    row('load', name('launcher visible'), 'ms', pick(against, 'visible'), {
      none: pick(none, 'visible'),
      floor: pick(floor, 'visible'),
    }),
    row('load', name('blocking time added'), 'ms', minus(pick(against, 'blocking'), pick(none, 'blocking')), {
      floor: minus(pick(floor, 'blocking'), pick(none, 'blocking')),
      ratioOfMedians: true,
    }),
    row('load', name('longest task'), 'ms', pick(against, 'longest'), {
      none: pick(none, 'longest'),
      floor: pick(floor, 'longest'),
    }),
    row('load', name('main-thread CPU time added'), 'ms', minus(pick(against, 'cpu'), pick(none, 'cpu')), {
      floor: minus(pick(floor, 'cpu'), pick(none, 'cpu')),
      ratioOfMedians: true,
    }),
  ];
}

function loadRows(load) {
  const rows = [];
  for (const rate of Object.keys(load)) {
    for (const cache of ['cold', 'warm']) {
      const { none, floor, widget, against } = load[rate][cache];
      const at = `${rate}x ${cache}`;
      const four = rate === '4';
      rows.push(
        row('load', `launcher visible, ${at}`, 'ms', pick(widget, 'visible'), {
          none: pick(none, 'visible'),
          floor: pick(floor, 'visible'),
          target: four ? { of: 'floor', op: '<=', value: 1.1 } : undefined,
        }),
        row('load', `floor button visible, ${at}`, 'ms', pick(floor, 'visible'), { none: pick(none, 'visible') }),
        row('load', `script (ScriptDuration), ${at}`, 'ms', pick(widget, 'script'), {
          none: pick(none, 'script'),
          floor: pick(floor, 'script'),
        }),
        row('load', `main-thread tasks (TaskDuration), ${at}`, 'ms', pick(widget, 'task'), {
          none: pick(none, 'task'),
          floor: pick(floor, 'task'),
        }),
        row('load', `main-thread time added, ${at}`, 'ms', minus(pick(widget, 'task'), pick(none, 'task')), {
          floor: minus(pick(floor, 'task'), pick(none, 'task')),
          ratioOfMedians: true,
        }),
        row('load', `blocking time (long tasks past 50 ms), ${at}`, 'ms', pick(widget, 'blocking'), {
          none: pick(none, 'blocking'),
          floor: pick(floor, 'blocking'),
        }),
        row('load', `blocking time added, ${at}`, 'ms', minus(pick(widget, 'blocking'), pick(none, 'blocking')), {
          floor: minus(pick(floor, 'blocking'), pick(none, 'blocking')),
          ratioOfMedians: true,
          target: four ? { of: 'floor', op: '<=', value: 1.25 } : undefined,
        }),
        row('load', `long tasks (over 50 ms), ${at}`, 'count', pick(widget, 'longTasks'), {
          none: pick(none, 'longTasks'),
          floor: pick(floor, 'longTasks'),
        }),
        row('load', `longest task, ${at}`, 'ms', pick(widget, 'longest'), {
          none: pick(none, 'longest'),
          floor: pick(floor, 'longest'),
        }),
        row('load', `main-thread CPU time (ThreadTime), ${at}`, 'ms', pick(widget, 'cpu'), {
          none: pick(none, 'cpu'),
          floor: pick(floor, 'cpu'),
        }),
        // The target for "main-thread time added" is checked here: wall-clock TaskDuration on a shared machine
        // counts time spent waiting for a core, and its differences are mostly noise (docs/bench.md).
        row('load', `main-thread CPU time added, ${at}`, 'ms', minus(pick(widget, 'cpu'), pick(none, 'cpu')), {
          floor: minus(pick(floor, 'cpu'), pick(none, 'cpu')),
          ratioOfMedians: true,
          target: four ? { of: 'floor', op: '<=', value: 1.25 } : undefined,
        }),
      );
      // With --against: the other build's figures from the same rounds, after this build's, against the same floor.
      if (against) rows.push(...againstRows(against, none, floor, at));
    }
  }
  const cold = load['1']?.cold ?? load[Object.keys(load)[0]].cold;
  rows.push(
    row('load', 'JS heap after load (after GC), 1x cold', 'MB', pick(cold.widget, 'heap'), {
      none: pick(cold.none, 'heap'),
      floor: pick(cold.floor, 'heap'),
    }),
    row(
      'load',
      'DOM nodes added (with shadow roots)',
      'count',
      minus(pick(cold.widget, 'nodes'), pick(cold.none, 'nodes')),
      {
        floor: minus(pick(cold.floor, 'nodes'), pick(cold.none, 'nodes')),
        ratioOfMedians: true,
      },
    ),
  );
  return rows;
}

function openRows(open, openBig, load) {
  const rows = [];
  const noneHeap = load ? pick((load['1'] ?? Object.values(load)[0]).cold.none, 'heap') : undefined;
  const label = (n) => (Number(n) === 0 ? 'no history' : `${Number(n).toLocaleString('en')} messages`);
  const add = (rate, n, { floor, widget }, target) => {
    rows.push(
      row('open', `open window, ${label(n)}, ${rate}x`, 'ms', pick(widget, 'open'), {
        floor: pick(floor, 'open'),
        target,
      }),
    );
    if (n > 0) {
      rows.push(row('open', `floor list, ${label(n)}, ${rate}x (reference)`, 'ms', pick(floor, 'open')));
      if (rate === '1' || rate === 1) {
        rows.push(
          row('open', `JS heap after opening ${label(n)}`, 'MB', pick(widget, 'heap'), {
            none: noneHeap && widget.map(() => noneHeap[0]),
            floor: pick(floor, 'heap'),
          }),
          row('open', `launcher visible, ${label(n)} stored, ${rate}x`, 'ms', pick(widget, 'visible'), {
            floor: pick(floor, 'visible'),
          }),
        );
      }
    }
  };
  for (const rate of Object.keys(open ?? {})) {
    for (const n of Object.keys(open[rate])) {
      const target = rate === '4' && Number(n) === 1000 ? { of: 'floor', op: '<=', value: 1.2 } : undefined;
      add(rate, n, open[rate][n], target);
    }
  }
  for (const n of Object.keys(openBig ?? {})) {
    add('1', n, openBig[n], Number(n) === 10_000 ? { of: 'value', op: '<', value: 100 } : undefined);
  }
  return rows;
}

function idleRows(idle, seconds) {
  const names = { closed: 'widget closed', open: 'widget open', none: 'page without widget', floor: 'floor page' };
  return Object.entries(idle).map(([scenario, sessions]) =>
    row('idle', `timer/rAF calls + runs in ${seconds} s idle, ${names[scenario]}`, 'count', pick(sessions, 'total'), {
      target: scenario === 'closed' || scenario === 'open' ? { of: 'value', op: '=', value: 0 } : undefined,
    }),
  );
}

function throughputRows({ visitor, agent }, count, cutoffMs) {
  const n = count.toLocaleString('en');
  const cut = `${cutoffMs / 1000} s`;
  return [
    row('throughput', `visitor -> agent, ${n} burst: delivered within ${cut}`, 'count', pick(visitor, 'delivered')),
    row('throughput', 'visitor -> agent: throughput', 'msg/s', pick(visitor, 'throughput')),
    row('throughput', 'visitor -> agent: latency p50', 'ms', pick(visitor, 'p50')),
    row('throughput', 'visitor -> agent: latency p99', 'ms', pick(visitor, 'p99')),
    row('throughput', 'visitor burst: submitting it in the widget', 'ms', pick(visitor, 'submit')),
    row('throughput', 'visitor burst: until the widget has every ack', 'ms', pick(visitor, 'settled')),
    row('throughput', `visitor burst: acks the widget had taken in within ${cut}`, 'count', pick(visitor, 'acked')),
    row('throughput', 'visitor burst: widget script time', 'ms', pick(visitor, 'script')),
    row('throughput', 'visitor burst: widget style + layout time', 'ms', pick(visitor, 'layout')),
    row('throughput', `agent -> visitor, ${n} burst: delivered within ${cut}`, 'count', pick(agent, 'delivered')),
    row('throughput', 'agent -> visitor: throughput', 'msg/s', pick(agent, 'throughput')),
    row('throughput', 'agent -> visitor: latency p50', 'ms', pick(agent, 'p50')),
    row('throughput', 'agent -> visitor: latency p99', 'ms', pick(agent, 'p99')),
    row('throughput', 'agent burst: backend ack latency p50', 'ms', pick(agent, 'ackP50')),
    row('throughput', 'agent burst: backend ack latency p99', 'ms', pick(agent, 'ackP99')),
    row('throughput', 'agent burst: until the backend acked all', 'ms', pick(agent, 'acked')),
    row('throughput', 'agent burst: until the widget shows all', 'ms', pick(agent, 'settled')),
    row('throughput', 'agent burst: widget script time', 'ms', pick(agent, 'script')),
    row('throughput', 'agent burst: widget style + layout time', 'ms', pick(agent, 'layout')),
  ];
}

function memoryRows(memory, cycles) {
  return [
    // Back where it started, up to what the JIT and Blink add (tens of KB; a 1 KB-per-mount leak would fail).
    row('memory', `JS heap growth, ${cycles} mount/remove cycles`, 'KB', pick(memory, 'heapGrowth'), {
      target: { of: 'value', op: '<=', value: 100 * KB },
    }),
    row('memory', `JS values left behind (heap snapshot), ${cycles} cycles`, 'count', pick(memory, 'objects'), {
      target: { of: 'value', op: '<', value: 10 },
    }),
    row('memory', `DOM nodes left, ${cycles} cycles`, 'count', pick(memory, 'nodes'), {
      target: { of: 'value', op: '=', value: 0 },
    }),
    row('memory', `event listeners left, ${cycles} cycles`, 'count', pick(memory, 'listeners'), {
      target: { of: 'value', op: '=', value: 0 },
    }),
  ];
}

export function buildRows(raw, plan, only) {
  return [
    ...(only.has('bytes') ? bytesRows(raw.bytes) : []),
    ...(raw.load ? loadRows(raw.load) : []),
    ...(raw.open ? openRows(raw.open, raw.openBig, raw.load) : []),
    ...(raw.idle ? idleRows(raw.idle, plan.idleSeconds) : []),
    ...(raw.throughput ? throughputRows(raw.throughput, plan.burst, plan.burstCutoffMs) : []),
    ...(raw.memory ? memoryRows(raw.memory, plan.cycles) : []),
  ];
}
