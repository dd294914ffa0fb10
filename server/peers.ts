/**
 * Who is on the other end of a socket, and what each may cost: the peers the hub keeps (hub.ts), and the limits per
 * peer, visitor and site (security review F5, F7).
 */
import type { WebSocket } from 'ws';
import type { Buckets, Rate } from './rate-limit.js';
import type { Role } from './accounts.js';
import type { Visitor } from './state.js';
import type { ConsolePageLimits } from './console-pages.js';

/** Close codes the hub uses (ws itself closes with 1009 for a frame over maxPayload and 1007 for invalid UTF-8). */
export const CLOSE = {
  /** Too many bad frames. */
  policy: 1008,
  /** The journal could not be written (or a bug): reconnect and resend. */
  internal: 1011,
} as const;

/**
 * What one peer, visitor or site may cost (security review F5, F7). A peer that does not read is cut off once its
 * unsent bytes pass its cap, checked before every send, the welcome included; a welcome carries at most
 * `welcomeBytes` of history (the newest messages).
 */
export interface HubLimits {
  /** Unsent bytes a widget's socket may hold. Default 2 MiB. */
  visitorBufferedBytes: number;
  /**
   * Unsent bytes an agent console's socket may hold. Default 16 MiB: its welcome and the replies to its `older_*`
   * requests are pages of a few MiB at most (console-pages.ts).
   */
  agentBufferedBytes: number;
  /** History bytes in one welcome to a widget. Default 512 KiB. */
  welcomeBytes: number;
  /** Sockets one visitor may have open at once (tabs). Default 10. */
  socketsPerVisitor: number;
  /** Messages and offline messages one visitor may store, whichever socket they come from. Default 10 per 10 s. */
  messagesPerVisitor: Rate;
  /** New visitors one client address may create. Default 20 per minute. */
  newVisitorsPerIp: Rate;
  /**
   * Call-back requests from one client address, whichever visitors make them: throw-away visitors must not spend a
   * site's call balance (security review F12). Default 3 per hour.
   */
  callsPerIp: Rate;
  /** New visitors one widget id may get. Default 600 per minute. */
  newVisitorsPerSite: Rate;
  /** The sizes of the console's pages, merged over CONSOLE_PAGE_LIMITS (console-pages.ts). */
  consolePages: Partial<ConsolePageLimits>;
  /**
   * How long a finished chat's `chat_finished` webhook waits for the visitor's rating when the visitor is there to
   * give one (chat-end.ts). Default 10 minutes; 0 sends it at once, without a rating.
   */
  ratingWaitMs: number;
}

export const HUB_LIMITS: HubLimits = {
  ratingWaitMs: 600_000,
  visitorBufferedBytes: 2 * 1024 * 1024,
  agentBufferedBytes: 16 * 1024 * 1024,
  welcomeBytes: 512 * 1024,
  socketsPerVisitor: 10,
  messagesPerVisitor: { burst: 10, windowMs: 10_000 },
  newVisitorsPerIp: { burst: 20, windowMs: 60_000 },
  callsPerIp: { burst: 3, windowMs: 3_600_000 },
  newVisitorsPerSite: { burst: 600, windowMs: 60_000 },
  consolePages: {},
};

export interface Peer {
  readonly ws: WebSocket;
  readonly buckets: Buckets;
  alive: boolean;
  badFrames: number;
  /** Heartbeats seen before hello. */
  beats: number;
}

export interface VisitorPeer extends Peer {
  visitor: Visitor | null;
  /** The frames received so far, handled one after another (the last one's promise). */
  frames: Promise<void>;
  /** The User-Agent header of the socket's upgrade request ('' when none). */
  readonly userAgent: string;
  /** The client's address. */
  readonly ip: string;
  /** The page's origin (the upgrade's Origin header), checked against the site's list at hello (sites.ts). */
  readonly origin: string | undefined;
  /** What this socket was last told about call backs. */
  callbackEnabled: boolean;
}

/** Who an agent socket belongs to: its session's account. */
export interface AgentIdentity {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
}

export interface AgentPeer extends Peer {
  readonly agent: AgentIdentity;
  /** The session the socket was opened with: it is closed when the session ends. */
  readonly sessionId: string;
  /** Said hello. */
  ready: boolean;
  online: boolean;
  /** Visitors this console is typing to. */
  readonly typingTo: Set<string>;
}
