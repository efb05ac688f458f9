/** The runtime-agnostic relay: HTTP routes, handshake decisions, and sockets handed over by an adapter. */

import type { Agent } from './agent.ts';
import { json, text, type HttpResponse, type Route } from './http.ts';
import { authorizeAgent, authorizeClient, type Denial, type TokenIssuer } from './auth.ts';
import { checkHost } from './host.ts';
import { ClientConnection } from './client-connection.ts';
import { CLOSE_CODES } from '../../shared/index.ts';
import type { ChatBackend } from './chat-backend.ts';
import type { HistoryStatus, HistoryStore } from './history-store.ts';
import { replayLimits } from './chat-log.ts';
import { queueLimits } from './turn-queue.ts';
import { Hub } from './hub.ts';
import { LocalBackend } from './local-backend.ts';
import { turnDeps, type TurnDeps } from './turn-runner.ts';
import { newEpoch } from './ids.ts';
import { createLogger, type Logger } from './logger.ts';
import type { CoreConfig } from './options.ts';
import type { RelaySocket, RequestInfo, SocketHandlers } from './socket.ts';

export const CLIENT_PATH = '/ws';
export const AGENT_PATH = '/agent';

/** Everything the core is built from; bootstrap (or a library user) maps the command-line table onto it. */
export interface RelayOptions {
  agent: Agent;
  config: CoreConfig;
  /** HTTP endpoints beyond `/healthz`, asked in order (facade, token issuing, the client's files). */
  routes?: readonly Route[];
  /** Mints the short-lived client tokens the handshake accepts besides `config.token`. */
  issuer?: TokenIssuer;
  logger?: Logger;
  now?: () => number;
  /** Where chats live; defaults to this process. The Redis backend shares them between relays. */
  backend?: ChatBackend | ((deps: TurnDeps, config: CoreConfig) => ChatBackend);
  /** Keeps the in-process backend's chats across restarts (`--data-dir`); its epoch becomes the relay's. */
  history?: HistoryStore;
}

/** An agent served by processes that connect to the agent endpoint. */
export interface ConnectableAgent extends Agent {
  connect(socket: RelaySocket, remote: string): SocketHandlers;
}

/** What the adapter does with a handshake; `kind` alone decides it. */
export type UpgradeDecision =
  | { kind: 'client'; clientId: string; protocol: string | undefined; credential: string }
  | { kind: 'agent' }
  | { kind: 'refused'; status: Denial['status']; reason: string }
  /** No WebSocket endpoint at this path (404). */
  | { kind: 'no_endpoint' };

function refused(denial: Denial): UpgradeDecision {
  return { kind: 'refused', status: denial.status, reason: denial.reason };
}

export interface HealthReport {
  /** `degraded` when the backend cannot accept writes (shared storage out of reach). */
  status: 'ok' | 'degraded';
  epoch: string;
  clients: number;
  chats: number;
  agent: { name: string; online: boolean };
  storage?: string;
  /** Where chat history is kept (`files` in --data-dir, `memory`, `redis`) and whether it takes writes. */
  history: HistoryStatus;
}

export class Relay {
  readonly config: CoreConfig;
  readonly logger: Logger;
  private readonly hub: Hub;
  private readonly issuer: TokenIssuer | undefined;
  private readonly routes: readonly Route[];
  private readonly unwatch: (() => void) | undefined;

  constructor(private readonly options: RelayOptions) {
    this.config = options.config;
    this.logger = options.logger ?? createLogger(this.config.logLevel);
    const now = options.now ?? Date.now;
    const deps: TurnDeps = turnDeps(this.config, options.agent, this.logger, now);
    const backend: ChatBackend =
      (typeof options.backend === 'function' ? options.backend(deps, this.config) : options.backend) ??
      new LocalBackend(
        {
          epoch: options.history?.epoch ?? newEpoch(),
          idempotencyWindow: this.config.idempotencyWindow,
          replay: replayLimits(this.config),
          queue: queueLimits(this.config),
          ...(options.history ? { store: options.history } : {}),
        },
        deps,
      );
    this.hub = new Hub(this.config, backend, options.agent, this.logger, now);
    backend.onReset?.(() => {
      this.logger.info('shared storage back: clients resume', { clients: this.hub.clients.size });
      for (const client of [...this.hub.clients]) client.close(CLOSE_CODES.serviceRestart, 'resume');
    });
    this.issuer = options.issuer;
    this.routes = options.routes ?? [];
    const announce = () => this.hub.broadcast({ type: 'agent_state', agent: this.hub.agentInfo() });
    this.unwatch = options.agent.watch?.(announce);
    backend.onAgentChange?.(announce);
  }

  /** Decides what to do with a WebSocket handshake, before the adapter upgrades it. */
  decideUpgrade(req: RequestInfo): UpgradeDecision {
    const path = pathOf(req.url);
    const misdirected = this.refuseHost(req);
    if (misdirected) return refused(misdirected);
    if (path === CLIENT_PATH) {
      const capped = (): Denial | undefined =>
        this.hub.admits(req.remote)
          ? undefined
          : { ok: false, status: 429, reason: 'too many connections from this address' };
      const grant = authorizeClient(req, this.config, this.issuer, capped);
      if (!grant.ok) {
        this.logger.info('client refused', { remote: req.remote, status: grant.status, reason: grant.reason });
        return refused(grant);
      }
      return { kind: 'client', clientId: grant.clientId, protocol: grant.protocol, credential: grant.credential };
    }
    if (path === AGENT_PATH) {
      if (!isConnectable(this.options.agent))
        return { kind: 'refused', status: 404, reason: 'this relay runs a built-in agent' };
      const grant = authorizeAgent(req, this.config);
      if (!grant.ok)
        this.logger.info('agent refused', { remote: req.remote, status: grant.status, reason: grant.reason });
      return grant.ok ? { kind: 'agent' } : refused(grant);
    }
    return { kind: 'no_endpoint' };
  }

  openClient(socket: RelaySocket, grant: { clientId: string; credential: string }, remote: string): SocketHandlers {
    const conn = new ClientConnection(this.hub, socket, grant.clientId, remote, grant.credential);
    conn.start();
    return conn;
  }

  openAgent(socket: RelaySocket, remote: string): SocketHandlers {
    const agent = this.options.agent;
    if (!isConnectable(agent)) throw new Error('openAgent without a connectable agent');
    return agent.connect(socket, remote);
  }

  async handleHttp(req: RequestInfo): Promise<HttpResponse> {
    const path = pathOf(req.url);
    const misdirected = this.refuseHost(req);
    if (misdirected) return text(misdirected.status, misdirected.reason);
    if (path === '/healthz') return json(200, this.health());
    if (path === CLIENT_PATH || path === AGENT_PATH) return text(426, 'WebSocket upgrade required');
    const route = this.routes.find((r) => r.match(path, req.method));
    return route ? route.handle(req, path) : text(404, 'not found');
  }

  /** The epoch clients resume against (shared by all relays on one Redis). */
  get epoch(): string {
    return this.hub.backend.epoch();
  }

  health(): HealthReport {
    const agent = this.options.agent.info();
    const storage = this.hub.backend.status();
    return {
      status: storage.ok ? 'ok' : 'degraded',
      epoch: this.epoch,
      clients: this.hub.clients.size,
      chats: this.hub.backend.chatCount(),
      agent: { name: agent.name, online: agent.online },
      history: this.hub.backend.history?.() ?? { kind: 'custom', ok: storage.ok },
      ...(storage.detail ? { storage: storage.detail } : {}),
    };
  }

  async close(): Promise<void> {
    this.unwatch?.();
    for (const client of [...this.hub.clients]) client.close(CLOSE_CODES.goingAway, 'relay shutting down');
    await this.hub.backend.close();
    this.options.agent.close?.();
  }

  /** Every endpoint answers only under the names the relay is served under (DNS rebinding). */
  private refuseHost(req: RequestInfo): Denial | undefined {
    const denial = checkHost(req, this.config);
    if (denial) this.logger.info('host refused', { remote: req.remote, status: denial.status, reason: denial.reason });
    return denial;
  }
}

function isConnectable(agent: Agent): agent is ConnectableAgent {
  return 'connect' in agent && typeof agent.connect === 'function';
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
