/** Chats shared by several relays through Redis: Streams hold the replay log, pub/sub carries live frames. */

import type { HistoryStatus } from '../core/history-store.ts';
import { KEEP_ALL, type HistoryLimits } from '../core/replay-window.ts';
import {
  parseRelayFrame,
  type AckFrame,
  type AgentInfo,
  type ChatEvent,
  type ChatMessage,
  type RelayWireFrame,
  type RequestState,
} from '../../shared/index.ts';
import {
  StorageUnavailable,
  type ChatBackend,
  type Outcome,
  type PressInput,
  type ReplayResult,
  type RetractInput,
  type SendInput,
  type Subscriber,
} from '../core/chat-backend.ts';
import { deliveryOf } from '../core/coalescer.ts';
import { ackFrame, REFUSALS } from '../core/frames.ts';
import { newEpoch, randomId } from '../core/ids.ts';
import type { TurnDeps } from '../core/turn-runner.ts';
import type { RedisConnection } from './connection.ts';
import { Followers } from './followers.ts';
import { chatKeys, framePrefix, GLOBAL_KEYS, requestField } from './keys.ts';
import { planPress, type Pressable } from '../core/press.ts';
import { requestStateParser } from '../../shared/parse/human-request.ts';
import { ScriptRunner } from './script-runner.ts';
import { StorageStatus } from './storage-status.ts';
import { ACCEPT, logParams, type LogLimits } from './scripts.ts';
import { queueLimits, waitingRefusal, type QueueLimits } from '../core/turn-queue.ts';
import { DEFAULTS } from '../config.ts';
import { parseActive, SharedTurns } from './shared-turns.ts';
import { clockRefusal, workspaceEvent, type RecordInput } from '../core/workspace.ts';
import { WorkspaceCompactor } from './workspace-log.ts';
import { importedEvent, type ImportInput } from '../core/import.ts';
import { messageIn } from '../core/continue.ts';

/** The replay limits a relay takes (`ReplayLimits`): of them, Redis reads only the age (its windows') and retention. */
export interface RedisBackendOptions {
  /** How long the idempotency window and a turn queue outlive their last write (`--replay-max-age`). */
  maxAgeMs: number;
  /** `--idempotency-window`: the client_msg_ids remembered per chat (each for `maxAgeMs`). */
  idempotencyWindow: number;
  /** The bound on a chat's waiting turns (the in-process backend's, by default). */
  queue?: QueueLimits;
  /**
   * What a chat keeps at all (`--history-max-age`, `--history-max-bytes`); everything when absent. A chat's Stream
   * is its history, as a data directory is for one relay: nothing else trims it, and it does not expire.
   */
  retention?: HistoryLimits;
}

const DEFAULT_QUEUE: QueueLimits = queueLimits(DEFAULTS);

type Control =
  { type: 'stop'; chat_id: string; turn_id: string } | { type: 'work'; chat_id: string } | { type: 'agent' };

/** How often each relay looks for queued turns whose runner died, and refreshes what it shares. */
const TICK_MS = 2000;
/** How long `close` waits for running drains to release their locks. */
const CLOSE_WAIT_MS = 2000;

export class RedisBackend implements ChatBackend {
  private currentEpoch = '';
  private readonly relayId = `r_${randomId(10)}`;
  private readonly followers: Followers;
  private readonly turns: SharedTurns;
  private readonly scripts: ScriptRunner;
  private readonly resetListeners: (() => void)[] = [];
  private readonly agentListeners: (() => void)[] = [];
  /** The agent info another relay shares, when this relay's own agent is offline. */
  private sharedAgent: AgentInfo | undefined;
  private readonly storage: StorageStatus;
  private readonly compactor: WorkspaceCompactor;
  private readonly ticker: ReturnType<typeof setInterval>;

  private constructor(
    private readonly redis: RedisConnection,
    private readonly deps: TurnDeps,
    private readonly options: RedisBackendOptions,
  ) {
    this.scripts = new ScriptRunner(redis);
    this.storage = new StorageStatus(redis);
    this.compactor = new WorkspaceCompactor(redis, this.scripts, deps.logger, () => ({
      epoch: this.currentEpoch,
      limits: this.limits(),
    }));
    this.followers = new Followers(redis, this.scripts, deliveryOf(deps), () => this.limits());
    this.turns = new SharedTurns(
      redis,
      this.scripts,
      deps,
      this.relayId,
      { epoch: () => this.currentEpoch, ...this.limits() },
      (chatId, frame) => this.followers.notify(chatId, frame),
    );
    redis.onReady((ready) => void (ready ? this.recover() : undefined));
    deps.agent.watch?.(() => void this.shareAgent().catch(() => undefined));
    this.ticker = setInterval(() => void this.tick(), TICK_MS);
    if (typeof this.ticker === 'object' && 'unref' in this.ticker) this.ticker.unref();
  }

  static async create(redis: RedisConnection, deps: TurnDeps, options: RedisBackendOptions): Promise<RedisBackend> {
    const backend = new RedisBackend(redis, deps, options);
    await backend.loadEpoch();
    await redis.subscribe(GLOBAL_KEYS.control, (message) => backend.onControl(message));
    await backend.shareAgent();
    await backend.storage.read();
    return backend;
  }

  epoch(): string {
    return this.currentEpoch;
  }

  agentInfo(local: AgentInfo): AgentInfo {
    return local.online || !this.sharedAgent ? local : this.sharedAgent;
  }

  onAgentChange(listener: () => void): void {
    this.agentListeners.push(listener);
  }

  /** Publishes this relay's agent while it is online here, or reads what another relay publishes. */
  private async shareAgent(): Promise<void> {
    const info = this.deps.agent.info();
    if (info.online) {
      await this.redis.command(['SET', GLOBAL_KEYS.agentInfo, JSON.stringify(info), 'PX', String(TICK_MS * 3)]);
      if (this.sharedAgent === undefined) return;
      this.sharedAgent = undefined;
      await this.control({ type: 'agent' });
      return;
    }
    const raw = await this.redis.command(['GET', GLOBAL_KEYS.agentInfo]);
    const parsed = typeof raw === 'string' ? parseAgentInfo(raw) : undefined;
    if (JSON.stringify(parsed) === JSON.stringify(this.sharedAgent)) return;
    this.sharedAgent = parsed;
    for (const listener of this.agentListeners) listener();
  }

  /** Called when the relay must drop every client so they resume (Redis lost data or live frames). */
  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  async subscribe(chatId: string, sub: Subscriber, afterSeq: number, onReplay: (r: ReplayResult) => void) {
    try {
      await this.followers.subscribe(chatId, sub, afterSeq, this.currentEpoch, onReplay);
    } catch {
      void this.followers.unsubscribe(chatId, sub);
      throw new StorageUnavailable();
    }
  }

  unsubscribe(chatId: string, sub: Subscriber): void {
    void this.followers.unsubscribe(chatId, sub);
  }

  async send(input: SendInput): Promise<Outcome> {
    const event =
      input.regenerate === undefined
        ? { type: 'message', message: input.message, chat_id: input.chatId }
        : { type: 'regenerate', ...input.regenerate, chat_id: input.chatId };
    return this.accept(input.chatId, input.clientMsgId, input.message.id, framePrefix(event), input.turn);
  }

  /** A workspace write: the same once-per-client_msg_id script as a send, with no turn to queue. */
  async record(input: RecordInput): Promise<Outcome> {
    const refused = clockRefusal(input.changes, this.deps.now());
    if (refused) return refused;
    const event = { ...workspaceEvent(input), chat_id: input.chatId };
    const outcome = await this.accept(
      input.chatId,
      input.clientMsgId,
      input.clientMsgId,
      framePrefix(event),
      undefined,
    );
    if (outcome.ok) this.compactor.wrote(input.chatId, input.changes.length);
    return outcome;
  }

  /** An import: the same once-per-client_msg_id script as a send, with no turn to queue. */
  importMessages(input: ImportInput): Promise<Outcome> {
    const event = { ...importedEvent(input), chat_id: input.chatId };
    return this.accept(input.chatId, input.clientMsgId, input.clientMsgId, framePrefix(event), undefined);
  }

  retract(input: RetractInput): Promise<Outcome> {
    const event = { type: 'retract', message_id: input.messageId, chat_id: input.chatId };
    return this.accept(input.chatId, input.clientMsgId, input.clientMsgId, framePrefix(event), undefined);
  }

  async findMessage(chatId: string, id: string): Promise<ChatMessage | undefined> {
    let events: ChatEvent[];
    try {
      events = await this.followers.read(chatId, this.currentEpoch);
    } catch {
      throw new StorageUnavailable();
    }
    return messageIn(events, id);
  }

  async press(input: PressInput): Promise<Outcome> {
    const keys = chatKeys(input.chatId);
    let found: Pressable;
    try {
      found = await this.pressable(input);
    } catch {
      return REFUSALS.storageDown;
    }
    // What was used is not on `found`: the script's set of used members decides, atomically, who was first.
    const plan = planPress(input.messageId, input.target, found, this.deps.now(), input.turnFor);
    if (!plan.ok) return plan;
    const event = framePrefix({ ...plan.event, chat_id: input.chatId });
    return this.accept(input.chatId, input.clientMsgId, input.messageId, event, plan.turn, {
      used: keys.used,
      member: plan.member,
      refusal: plan.used,
    });
  }

  /** The pressed message's buttons or request, as the relay that ran its turn kept them. */
  private async pressable(input: PressInput): Promise<Pressable> {
    const keys = chatKeys(input.chatId);
    if (input.target.kind === 'answer') {
      const [stored, active] = await Promise.all([
        this.redis.command(['HGET', keys.requests, requestField(input.messageId, input.target.requestId)]),
        this.redis.command(['GET', keys.active]),
      ]);
      const request = typeof stored === 'string' ? parseStoredRequest(stored) : undefined;
      if (!request) return {};
      // Open once its turn ended (no longer the running one); a stopped or failed turn left it cancelled.
      const running = typeof active === 'string' && parseActive(active)?.message_id === input.messageId;
      return { requests: [request], ...(running ? {} : { status: request.cancelled ?? 'done' }) };
    }
    const stored = await this.redis.command(['HGET', keys.buttons, input.messageId]);
    const frame = typeof stored === 'string' ? parseRelayFrame(stored) : undefined;
    return { buttons: frame?.ok && frame.value.type === 'buttons' ? frame.value.buttons : [] };
  }

  async stop(chatId: string, turnId: string | undefined): Promise<boolean> {
    const local = this.turns.running.get(chatId);
    if (local) {
      if (turnId !== undefined && turnId !== local.request.turn_id) return false;
      local.abort.abort();
      return true;
    }
    const owner = await this.redis.command(['GET', chatKeys(chatId).runner]).catch(() => null);
    const running = typeof owner === 'string' ? owner.split('|')[1] : '';
    if (!running || (turnId !== undefined && turnId !== running)) return false;
    await this.control({ type: 'stop', chat_id: chatId, turn_id: running });
    return true;
  }

  status(): { ok: boolean; detail?: string } {
    return this.redis.ready ? { ok: true } : { ok: false, detail: 'redis unreachable' };
  }

  history(): HistoryStatus {
    return this.storage.report(this.retention());
  }

  private retention(): HistoryLimits {
    return this.options.retention ?? KEEP_ALL;
  }

  chatCount(): number {
    return this.followers.followed().length;
  }

  async close(): Promise<void> {
    clearInterval(this.ticker);
    await this.compactor.settle();
    for (const active of this.turns.running.values()) active.abort.abort();
    // A drain that just ran a turn releases its chat's lock before the connection goes, so another relay takes
    // the chat's next turn at once instead of after the lock lapses (bounded: a stuck Redis does not hold it up).
    await Promise.race([this.turns.settle(), new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS))]);
    await this.redis.close();
  }

  private limits(): LogLimits {
    return { ttlMs: this.options.maxAgeMs, retention: this.retention(), now: this.deps.now };
  }

  /** The shared write path of `send` and `press`: one script call, exactly once per client_msg_id. */
  private async accept(
    chatId: string,
    clientMsgId: string,
    messageId: string,
    eventPrefix: string,
    /** The turn to queue; none for a workspace write. */
    turn: SendInput['turn'] | undefined,
    press?: { used: string; member: string; refusal: Outcome },
  ): Promise<Outcome> {
    const keys = chatKeys(chatId);
    const queue = this.options.queue ?? DEFAULT_QUEUE;
    // The script stamps the seq last, where `ackFrame` puts it.
    const { seq: _seq, ...unsequenced } = ackFrame(chatId, clientMsgId, messageId, 0);
    const ackPrefix = `${framePrefix(unsequenced)},"seq":`;
    const { maxAgeMs, idempotencyWindow } = this.options;
    let reply: unknown;
    try {
      const extraKeys = [keys.acks, keys.ackOrder, keys.turns, ...(press ? [press.used] : [])];
      const window = [String(this.deps.now()), String(maxAgeMs), String(idempotencyWindow)];
      const bound = [String(queue.maxTurns), String(queue.maxBytes)];
      const args = [
        eventPrefix,
        ackPrefix,
        turn ? JSON.stringify({ type: 'turn', ...turn }) : '',
        clientMsgId,
        ...window,
        ...bound,
      ];
      const limits = this.limits();
      if (press) args.push(press.member);
      reply = await this.scripts.run(ACCEPT, ...logParams(chatId, this.currentEpoch, limits, extraKeys, args));
    } catch {
      return REFUSALS.storageDown;
    }
    const [status, text] = Array.isArray(reply) ? reply : [];
    if (Number(status) === -1) return press?.refusal ?? REFUSALS.buttonUsed;
    // The same refusal as the in-process backend's, from the same function: the count and bytes came from Redis.
    if (Number(status) === -2 || Number(status) === -3) {
      const [waiting = '0', bytes = '0'] = typeof text === 'string' ? text.split(' ') : [];
      return waitingRefusal(Number(waiting), Number(bytes), queue) ?? REFUSALS.storageDown;
    }
    const ack = typeof text === 'string' ? parseAck(text) : undefined;
    if (!ack) return REFUSALS.storageDown;
    if (Number(status) === 1 && turn) void this.dispatch(chatId);
    return { ok: true, ack };
  }

  /** Runs the chat's turns here when this relay's agent can, else asks the relay whose agent can. */
  private async dispatch(chatId: string): Promise<void> {
    if (this.deps.agent.info().online) return this.turns.drain(chatId);
    const elsewhere = await this.redis.command(['EXISTS', GLOBAL_KEYS.agentInfo]).catch(() => 0);
    // With no agent anywhere, run it here so the user promptly sees why it cannot be answered.
    if (Number(elsewhere) === 0) return this.turns.drain(chatId);
    await this.control({ type: 'work', chat_id: chatId });
  }

  private async control(message: Control): Promise<void> {
    await this.redis.command(['PUBLISH', GLOBAL_KEYS.control, JSON.stringify(message)]).catch(() => undefined);
  }

  private onControl(raw: string): void {
    let message: unknown;
    try {
      message = JSON.parse(raw);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const type = 'type' in message ? message.type : undefined;
    if (type === 'agent') return void this.shareAgent().catch(() => undefined);
    const chatId = 'chat_id' in message && typeof message.chat_id === 'string' ? message.chat_id : undefined;
    if (!chatId) return;
    if (type === 'stop') {
      const active = this.turns.running.get(chatId);
      if (active && 'turn_id' in message && message.turn_id === active.request.turn_id) active.abort.abort();
    } else if (type === 'work' && this.deps.agent.info().online) {
      void this.turns.drain(chatId);
    }
  }

  /** Picks up turns queued for chats followed here whose runner vanished, and shares this relay's agent. */
  private async tick(): Promise<void> {
    if (!this.redis.ready) return;
    try {
      await this.shareAgent();
      await this.storage.read();
      for (const chatId of this.followers.followed()) {
        const keys = chatKeys(chatId);
        const [queued, owned, orphan] = await Promise.all([
          this.redis.command(['LLEN', keys.turns]),
          this.redis.command(['EXISTS', keys.runner]),
          this.redis.command(['EXISTS', keys.active]),
        ]);
        // Queued turns, or a turn still marked running, with no relay holding the chat: its runner is gone.
        if ((Number(queued) > 0 || Number(orphan) > 0) && Number(owned) === 0) void this.dispatch(chatId);
      }
    } catch {
      // Redis went away mid-tick; recover() runs when it is back.
    }
  }

  private async loadEpoch(): Promise<void> {
    await this.redis.command(['SET', GLOBAL_KEYS.epoch, newEpoch(), 'NX']);
    const epoch = await this.redis.command(['GET', GLOBAL_KEYS.epoch]);
    if (typeof epoch !== 'string') throw new Error('redis did not keep the epoch');
    this.currentEpoch = epoch;
  }

  /**
   * Redis is back. Live frames published while a relay was cut off are lost to its clients, and Redis may have
   * lost data (then the epoch changes): either way, every client here resumes from its own seq.
   */
  private async recover(): Promise<void> {
    try {
      await this.loadEpoch();
      // Turns queued behind a cut one run now rather than when the periodic check next finds them.
      for (const chatId of await this.turns.endInterrupted()) void this.dispatch(chatId);
    } catch (err) {
      this.deps.logger.warn('redis recovery failed', { error: err instanceof Error ? err.message : String(err) });
    }
    await this.followers.clear();
    for (const listener of this.resetListeners) listener();
    this.deps.logger.info('redis recovered: clients resume');
  }
}

function parseAgentInfo(text: string): AgentInfo | undefined {
  const parsed = parseRelayFrame(`{"type":"agent_state","agent":${text}}`);
  return parsed.ok && parsed.value.type === 'agent_state' ? parsed.value.agent : undefined;
}

function parseStoredRequest(text: string): RequestState | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = requestStateParser(data, 'request');
  return parsed.ok ? parsed.value : undefined;
}

function parseAck(text: string): AckFrame | undefined {
  const parsed = parseRelayFrame(text);
  const frame: RelayWireFrame | undefined = parsed.ok ? parsed.value : undefined;
  return frame?.type === 'ack' ? frame : undefined;
}
