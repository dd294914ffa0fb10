/**
 * What this server process knows of the others that share its store (store/postgres.ts): which visitors have a socket
 * on them, which agents are signed in and online there, who is typing. None of it is stored: each process publishes
 * its own changes as signals, says it is alive every `aliveMs`, and forgets a process it has not heard from for three
 * times that (a process killed with SIGKILL says nothing). A process that starts, or that lost the connection the
 * signals come on, asks the others for everything (`hello`) and they answer with their whole presence.
 *
 * Signals (`t`):
 *   hello                           tell me everything
 *   presence  {visitors, typing, agentTyping, agents, part, parts}   everything (in parts when large)
 *   online    {v, on}               this visitor got its first socket here, or lost its last
 *   typing    {v, on}               this visitor is typing (or stopped), on a socket here
 *   agent_typing {v, on}            an agent here is typing to this visitor (or stopped)
 *   agents    {agents}              the agents signed in here: [{id, name, online}]
 *   alive                           still here
 *   bye                             stopping
 */
import type { AgentPresence } from './agent-protocol.js';
import type { Signal } from './store/store.js';

export interface NodeAgent {
  id: string;
  name: string;
  online: boolean;
}

interface RemoteNode {
  seen: number;
  visitors: Set<string>;
  typing: Set<string>;
  agentTyping: Set<string>;
  agents: NodeAgent[];
}

/** Visitor ids per presence signal part: ids are at most 64 characters, a payload at most 7900 bytes. */
const IDS_PER_PART = 80;

export interface ClusterHost {
  /** Sends a signal to the other processes. */
  publish(signal: Signal): void;
  /** What this process has: its visitors with a socket, typing, agents typing to, agents. */
  local(): { visitors: Iterable<string>; typing: Iterable<string>; agentTyping: Iterable<string>; agents: NodeAgent[] };
  /** Something another process has changed: a visitor's online or typing state, or the agents. */
  visitorChanged(visitorId: string): void;
  visitorTypingChanged(visitorId: string): void;
  agentTypingChanged(visitorId: string): void;
  agentsChanged(): void;
}

export class Cluster {
  readonly #host: ClusterHost;
  readonly #nodes = new Map<string, RemoteNode>();
  readonly #aliveMs: number;
  readonly #timer: ReturnType<typeof setInterval>;

  constructor(host: ClusterHost, aliveMs: number) {
    this.#host = host;
    this.#aliveMs = aliveMs;
    this.#timer = setInterval(() => this.#beat(), aliveMs);
    this.#timer.unref();
  }

  /** Visitors with a socket on another process. */
  online(visitorId: string): boolean {
    for (const n of this.#nodes.values()) if (n.visitors.has(visitorId)) return true;
    return false;
  }

  /** Every visitor with a socket on another process. */
  onlineVisitors(): Set<string> {
    const all = new Set<string>();
    for (const n of this.#nodes.values()) for (const v of n.visitors) all.add(v);
    return all;
  }

  typing(visitorId: string): boolean {
    for (const n of this.#nodes.values()) if (n.typing.has(visitorId)) return true;
    return false;
  }

  agentTyping(visitorId: string): boolean {
    for (const n of this.#nodes.values()) if (n.agentTyping.has(visitorId)) return true;
    return false;
  }

  /** The agents signed in on other processes. */
  agents(): NodeAgent[] {
    return [...this.#nodes.values()].flatMap((n) => n.agents);
  }

  /** Agents by name, online if online anywhere (what consoles show). */
  static presence(agents: NodeAgent[]): AgentPresence[] {
    const byName = new Map<string, boolean>();
    for (const a of agents) byName.set(a.name, (byName.get(a.name) ?? false) || a.online);
    return [...byName].sort(([a], [b]) => a.localeCompare(b)).map(([name, online]) => ({ name, online }));
  }

  /** This process starts hearing the others, or may have missed what they said: ask them for everything. */
  resync(): void {
    this.#host.publish({ t: 'hello' });
  }

  close(): void {
    clearInterval(this.#timer);
    this.#host.publish({ t: 'bye' });
  }

  signal(node: string, s: Signal): void {
    if (s.t === 'bye') return this.#drop(node);
    let n = this.#nodes.get(node);
    if (!n) {
      n = { seen: 0, visitors: new Set(), typing: new Set(), agentTyping: new Set(), agents: [] };
      this.#nodes.set(node, n);
      // A process we did not know: it may have started before us and missed our hello.
      if (s.t !== 'hello' && s.t !== 'presence') this.#host.publish({ t: 'hello' });
    }
    n.seen = Date.now();
    const ids = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    switch (s.t) {
      case 'hello':
        return this.#sendPresence();
      case 'presence': {
        if (s.part === 0) {
          const before = new Set([...n.visitors, ...n.typing]);
          n.visitors.clear();
          n.typing.clear();
          for (const v of before) this.#host.visitorChanged(v);
          n.agents = parseAgents(s.agents);
          n.agentTyping = new Set(ids(s.agentTyping));
          this.#host.agentsChanged();
        }
        for (const v of ids(s.visitors)) {
          n.visitors.add(v);
          this.#host.visitorChanged(v);
        }
        for (const v of ids(s.typing)) n.typing.add(v);
        return;
      }
      case 'online':
      case 'typing':
      case 'agent_typing': {
        if (typeof s.v !== 'string') return;
        const set = s.t === 'online' ? n.visitors : s.t === 'typing' ? n.typing : n.agentTyping;
        if (s.on === true) set.add(s.v);
        else set.delete(s.v);
        if (s.t === 'agent_typing') this.#host.agentTypingChanged(s.v);
        else if (s.t === 'typing') this.#host.visitorTypingChanged(s.v);
        else this.#host.visitorChanged(s.v);
        return;
      }
      case 'agents':
        n.agents = parseAgents(s.agents);
        this.#host.agentsChanged();
        return;
    }
  }

  #sendPresence(): void {
    const local = this.#host.local();
    const visitors = [...local.visitors];
    const typing = new Set(local.typing);
    const parts = Math.max(1, Math.ceil(visitors.length / IDS_PER_PART));
    for (let part = 0; part < parts; part++) {
      const slice = visitors.slice(part * IDS_PER_PART, (part + 1) * IDS_PER_PART);
      const signal: Signal = {
        t: 'presence',
        part,
        parts,
        visitors: slice,
        typing: slice.filter((v) => typing.has(v)),
      };
      if (part === 0) {
        signal.agents = local.agents;
        signal.agentTyping = [...local.agentTyping].slice(0, IDS_PER_PART);
      }
      this.#host.publish(signal);
    }
  }

  #beat(): void {
    this.#host.publish({ t: 'alive' });
    const before = Date.now() - 3 * this.#aliveMs;
    for (const [node, n] of this.#nodes) if (n.seen < before) this.#drop(node);
  }

  /** A process stopped, or was not heard from for too long: what it had is no longer so. */
  #drop(node: string): void {
    const n = this.#nodes.get(node);
    if (!n) return;
    this.#nodes.delete(node);
    for (const v of new Set([...n.visitors, ...n.typing])) this.#host.visitorChanged(v);
    for (const v of n.agentTyping) this.#host.agentTypingChanged(v);
    if (n.agents.length) this.#host.agentsChanged();
  }
}

function parseAgents(v: unknown): NodeAgent[] {
  if (!Array.isArray(v)) return [];
  return v
    .filter(
      (a): a is NodeAgent => typeof a?.id === 'string' && typeof a.name === 'string' && typeof a.online === 'boolean',
    )
    .map(({ id, name, online }) => ({ id, name, online }));
}
