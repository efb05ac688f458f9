/** Test support: an in-page fake relay (one fake socket per connection attempt) and a store + sync wired to it. */

import {
  LIMITS,
  parseClientFrame,
  PROTOCOL_VERSION,
  type Capability,
  type ClientFrame,
  type RelayFrame,
  WORKSPACE_CHAT_ID,
} from '../../shared/index.ts';
import { ChatStore } from '../state/chat-store.ts';
import { ChatSync } from '../state/chat-sync.ts';
import { ParleyDb } from '../state/db.ts';
import type { RelaySocket } from '../state/relay-connection.ts';

/** One fake socket per connection attempt; `up` decides whether the relay is reachable. */
export class FakeRelay {
  up = false;
  sockets: FakeSocket[] = [];
  get current(): FakeSocket | undefined {
    return this.sockets[this.sockets.length - 1];
  }
  factory = (url: string): RelaySocket => {
    const s = new FakeSocket(url, this.up);
    this.sockets.push(s);
    return s;
  };
}

export class FakeSocket implements RelaySocket {
  readyState = 0;
  /** `ready` was sent on this socket. */
  readied = false;
  sent: ClientFrame[] = [];
  onopen: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  constructor(
    readonly url: string,
    up: boolean,
  ) {
    setTimeout(() => {
      if (!up) return this.drop();
      this.readyState = 1;
      this.onopen?.(new Event('open'));
    }, 0);
  }
  send(data: string): void {
    const parsed = parseClientFrame(data, LIMITS);
    if (!parsed.ok) throw new Error(`the client sent a bad frame: ${parsed.error.message}`);
    this.sent.push(parsed.value);
  }
  close(): void {
    this.readyState = 3;
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close', { code: 1006 }));
  }
  push(frame: RelayFrame): void {
    this.pushRaw(JSON.stringify(frame));
  }
  /** Sends text as the relay would, including frames that break the client's limits. */
  pushRaw(data: string): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }
  /** `workspace`: the relay keeps a workspace (names its channel), as a current relay does. */
  ready(epoch = 'e1', capabilities: Capability[] = ['markdown'], workspace = false): void {
    this.readied = true;
    this.push({
      ...(workspace ? { workspace: WORKSPACE_CHAT_ID } : {}),
      type: 'ready',
      protocol: PROTOCOL_VERSION,
      epoch,
      client_id: 'tab',
      agent: { name: 'Fake', capabilities, online: true },
      limits: { ...LIMITS },
      rate: { per_second: 20, burst: 60 },
    });
  }
  of<T extends ClientFrame['type']>(type: T): Extract<ClientFrame, { type: T }>[] {
    return this.sent.filter((f): f is Extract<ClientFrame, { type: T }> => f.type === type);
  }
}

export const until = async (check: () => boolean, what: string, timeoutMs = 2_000) => {
  for (let i = 0; i < timeoutMs / 10; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

let n = 0;

export interface SetupOptions {
  up?: boolean;
  /** Share a database with another setup: two tabs of one profile. */
  dbName?: string;
  tokenSource?: () => Promise<string>;
}

export async function setup(
  options: SetupOptions | boolean = false,
): Promise<{ relay: FakeRelay; store: ChatStore; sync: ChatSync; db: ParleyDb; dbName: string }> {
  const {
    up = false,
    dbName = `parley-sync-${Date.now()}-${n++}`,
    tokenSource,
  } = typeof options === 'boolean' ? { up: options } : options;
  const db = await ParleyDb.open(dbName);
  const store = new ChatStore(db);
  await store.init();
  const relay = new FakeRelay();
  relay.up = up;
  const config = { url: 'ws://relay.test/ws', token: '', source: 'settings' as const };
  const sync = new ChatSync(store, config, 'tab', {
    socketFactory: relay.factory,
    backoff: { baseMs: 5, capMs: 20, minUptimeMs: 0 },
    ...(tokenSource ? { tokenSource } : {}),
  });
  await sync.start();
  return { relay, store, sync, db, dbName };
}

/** Waits for the next socket to open and answers with `ready`. */
export async function connected(
  relay: FakeRelay,
  epoch = 'e1',
  capabilities?: Capability[],
  workspace = false,
): Promise<FakeSocket> {
  await until(() => relay.current?.readyState === 1 && !relay.current.readied, 'an open socket');
  const socket = relay.current;
  if (!socket) throw new Error('no socket');
  socket.ready(epoch, capabilities, workspace);
  return socket;
}

/** Waits for the client to subscribe to `chatId` and answers for the relay. */
export async function answerSubscribe(
  socket: FakeSocket,
  chatId: string,
  answer: { epoch?: string; head?: number; recovered?: boolean } = {},
): Promise<void> {
  await until(() => socket.of('subscribe').some((s) => s.chat_id === chatId), `subscribe to ${chatId}`);
  const { epoch = 'e1', head = 0, recovered = true } = answer;
  socket.push({ type: 'subscribed', chat_id: chatId, epoch, head_seq: head, recovered });
}
