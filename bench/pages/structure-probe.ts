/**
 * Injected into the built app before its own scripts (built as a classic script): counts IndexedDB
 * transactions and reads, BroadcastChannel posts and WebSocket frames, through the platform's own prototypes
 * only, so it measures any version of the app. Exposes `window.__structure` (see structure-waits.ts).
 */

import { emptyCounts, type Counts } from './structure-counts.ts';
import { exposeWaits } from './structure-waits.ts';

/** Since navigation (never reset), and since the last reset (the measured window). */
const tally = { total: emptyCounts(), window: emptyCounts() };
/** Open IndexedDB transactions, and when anything counted last happened. */
const activity = { openTx: 0, at: 0 };
/** The wire as seen since the last reset: client_msg_ids sent and acked, turns ended. */
const wire = { sendIds: [] as string[], acked: new Set<string>(), turnEnds: 0 };
/** The connection-time view: socket open, subscribe frames, their answers. */
const connect = {
  sockets: 0,
  openAt: Number.NaN,
  messageRecordsAtOpen: 0,
  subscribes: 0,
  lastSubscribeAt: Number.NaN,
  messageRecordsAtLastSubscribe: 0,
  answered: 0,
  lastAnswerAt: Number.NaN,
};

function bump(fn: (c: Counts) => void): void {
  fn(tally.total);
  fn(tally.window);
  activity.at = performance.now();
}

function inc(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

function resetWindow(): void {
  tally.window = emptyCounts();
  wire.sendIds = [];
  wire.acked = new Set();
  wire.turnEnds = 0;
}

function field(data: unknown, name: string): unknown {
  return typeof data === 'object' && data !== null ? Reflect.get(data, name) : undefined;
}

function parse(data: unknown): unknown {
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

// ---- IndexedDB ----

const nativeTransaction = IDBDatabase.prototype.transaction;
IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
  const tx = nativeTransaction.apply(this, args);
  const stores = [...tx.objectStoreNames].join('+');
  bump((c) => {
    if (tx.mode === 'readwrite') c.txReadwrite++;
    else c.txReadonly++;
    inc(c.txByStores, `${tx.mode} ${stores}`);
  });
  activity.openTx++;
  const done = () => {
    activity.openTx--;
    activity.at = performance.now();
  };
  tx.addEventListener('complete', done);
  tx.addEventListener('abort', done);
  return tx;
};

function countRecords(store: string, n: number): void {
  if (n === 0) return;
  bump((c) => {
    c.records += n;
    if (store === 'messages') c.messageRecords += n;
    inc(c.recordsByStore, store, n);
  });
}

/** How many record values a successful read returned. */
function valuesIn(method: string, result: unknown): number {
  if (method === 'get') return result === undefined ? 0 : 1;
  if (method === 'getAll' || method === 'getAllRecords') return Array.isArray(result) ? result.length : 0;
  if (method === 'openCursor') return result ? 1 : 0;
  return 0;
}

const READS = ['get', 'getKey', 'getAll', 'getAllKeys', 'getAllRecords', 'count', 'openCursor', 'openKeyCursor'];

function wrapReads(proto: object, storeOf: (self: unknown) => string): void {
  for (const method of READS) {
    const native: unknown = Reflect.get(proto, method);
    if (typeof native !== 'function') continue;
    Reflect.set(proto, method, function (this: unknown, ...args: unknown[]) {
      const req: unknown = Reflect.apply(native, this, args);
      bump((c) => c.idbReads++);
      if (req instanceof IDBRequest) {
        const store = storeOf(this);
        // A cursor request fires `success` once per step; each step with a value is a record read.
        req.addEventListener('success', () => countRecords(store, valuesIn(method, req.result)));
      }
      return req;
    });
  }
}

const storeName = (self: unknown) => (self instanceof IDBObjectStore ? self.name : '?');
wrapReads(IDBObjectStore.prototype, storeName);
wrapReads(IDBIndex.prototype, (self) => (self instanceof IDBIndex ? self.objectStore.name : '?'));
for (const step of ['continue', 'advance', 'continuePrimaryKey'] as const) {
  const native = IDBCursor.prototype[step] as (...a: unknown[]) => void;
  Reflect.set(IDBCursor.prototype, step, function (this: IDBCursor, ...args: unknown[]) {
    bump((c) => c.idbReads++);
    native.apply(this, args);
  });
}

// ---- BroadcastChannel ----

const nativePost = BroadcastChannel.prototype.postMessage;
BroadcastChannel.prototype.postMessage = function (this: BroadcastChannel, message: unknown) {
  const kind = field(message, 'kind') ?? field(message, 'type');
  bump((c) => {
    c.bcPosts++;
    inc(c.bcByKind, typeof kind === 'string' ? kind : '?');
  });
  nativePost.call(this, message);
};

// ---- WebSocket ----

const nativeSend = WebSocket.prototype.send;
WebSocket.prototype.send = function (this: WebSocket, data: Parameters<WebSocket['send']>[0]) {
  const frame = parse(data);
  const type = field(frame, 'type');
  const label = typeof type === 'string' ? type : '?';
  bump((c) => {
    c.wsSent++;
    inc(c.sentByType, label);
  });
  const id = field(frame, 'client_msg_id');
  if (label === 'send' && typeof id === 'string') wire.sendIds.push(id);
  if (label === 'subscribe') {
    connect.subscribes++;
    connect.lastSubscribeAt = performance.now();
    connect.messageRecordsAtLastSubscribe = tally.total.messageRecords;
  }
  nativeSend.call(this, data);
};

function received(data: unknown): void {
  const frame = parse(data);
  const type = field(frame, 'type');
  const label = typeof type === 'string' ? type : '?';
  for (const c of [tally.total, tally.window]) inc(c.receivedByType, label);
  if (label === 'ack') {
    const id = field(frame, 'client_msg_id');
    if (typeof id === 'string') wire.acked.add(id);
  } else if (label === 'turn_end') {
    wire.turnEnds++;
  } else if (label === 'subscribed' || label === 'error') {
    connect.answered++;
    connect.lastAnswerAt = performance.now();
    const code = field(frame, 'code');
    if (label === 'error') for (const c of [tally.total, tally.window]) inc(c.errorsByCode, String(code));
  }
}

/** The page's `new WebSocket(...)` gets one that also reports its open and every frame it receives. */
class CountedWebSocket extends WebSocket {
  constructor(url: string | URL, protocols?: string | string[]) {
    super(url, protocols);
    connect.sockets++;
    this.addEventListener('open', () => {
      if (!Number.isNaN(connect.openAt)) return;
      connect.openAt = performance.now();
      connect.messageRecordsAtOpen = tally.total.messageRecords;
    });
    this.addEventListener('message', (e: MessageEvent<unknown>) => received(e.data));
  }
}
Object.defineProperty(window, 'WebSocket', { value: CountedWebSocket, writable: true, configurable: true });

exposeWaits({ tally, activity, wire, connect, resetWindow });
