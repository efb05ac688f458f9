/** What the structure bench pages take from and hand back to the benchmark (plain data, no DOM). */

export interface Counts {
  /** IndexedDB transactions opened, by mode. */
  txReadonly: number;
  txReadwrite: number;
  /** Transactions by mode and stores, e.g. `readwrite messages+resume`: which writes a window made. */
  txByStores: Record<string, number>;
  /** Read requests: get/getKey/getAll/getAllKeys/getAllRecords/count/open(Key)Cursor calls and cursor steps. */
  idbReads: number;
  /** Records whose values were read (a get hit, a getAll/getAllRecords item, a value cursor step), any store. */
  records: number;
  /** The same, for the store named `messages`. */
  messageRecords: number;
  recordsByStore: Record<string, number>;
  bcPosts: number;
  /** BroadcastChannel posts by their `kind` field (or `?`). */
  bcByKind: Record<string, number>;
  wsSent: number;
  sentByType: Record<string, number>;
  receivedByType: Record<string, number>;
  /** `error` frames received, by `code`. */
  errorsByCode: Record<string, number>;
}

/** The socket's open, the subscribe frames after it, and how much was read from IndexedDB in between. */
export interface Subscriptions {
  sockets: number;
  openAt: number;
  lastSubscribeAt: number;
  subscribes: number;
  /** `subscribed` and `error` frames received after the open. */
  answered: number;
  /** When the last of them arrived (performance.now). */
  lastAnswerAt: number;
  /** True when the expected number of subscribes went out and were answered (not ended by the quiet fallback). */
  complete: boolean;
  /** Message records read from navigation to the open, and to the last subscribe. */
  messageRecordsAtOpen: number;
  messageRecordsAtLastSubscribe: number;
}

export function emptyCounts(): Counts {
  return {
    txReadonly: 0,
    txReadwrite: 0,
    txByStores: {},
    idbReads: 0,
    records: 0,
    messageRecords: 0,
    recordsByStore: {},
    bcPosts: 0,
    bcByKind: {},
    wsSent: 0,
    sentByType: {},
    receivedByType: {},
    errorsByCode: {},
  };
}

/** A chat for structure-seed.html to write. */
export interface SeedChat {
  id: string;
  title: string;
  count: number;
  /** Text in the newest message, to see when it is on screen. */
  marker: string;
  updatedAt: number;
}
