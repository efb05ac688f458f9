/** Where chats live — in this process (the default) or shared by several relays (Redis) — behind one interface. */

import type { HistoryStatus } from './history-store.ts';
import type { ImportInput } from './import.ts';
import type { PressTarget } from './press.ts';
import type { RecordInput } from './workspace.ts';
import type {
  AckFrame,
  AgentInfo,
  ChatEvent,
  ChatMessage,
  ErrorCode,
  RegenerateRequest,
  TurnInput,
  TurnRequest,
} from '../../shared/index.ts';

/** Anything that receives a chat's serialized events. */
export interface Subscriber {
  deliver(data: string): void;
}

export interface ReplayResult {
  epoch: string;
  /** The seq of the newest event when the replay was taken. */
  head: number;
  recovered: boolean;
  events: ChatEvent[];
}

export type Outcome = { ok: true; ack: AckFrame } | { ok: false; code: ErrorCode; message: string };

export interface SendInput {
  chatId: string;
  clientMsgId: string;
  /** The user message, id already minted. */
  message: ChatMessage;
  /** Set when regenerating: instead of posting `message` (already posted), log a `regenerate` event. */
  regenerate?: RegenerateRequest;
  /** The turn the message starts (its input is the message). */
  turn: TurnRequest;
}

/** A message deleted on every device (a `delete` frame). */
export interface RetractInput {
  chatId: string;
  clientMsgId: string;
  messageId: string;
}

export interface PressInput {
  chatId: string;
  clientMsgId: string;
  messageId: string;
  /** A button of the message, or an answer to one of its requests (see press.ts). */
  target: PressTarget;
  /** Builds the turn that answers the press, once what was pressed is known. */
  turnFor(input: TurnInput): TurnRequest;
}

export interface ChatBackend {
  /** The epoch clients resume against. */
  epoch(): string;
  /**
   * Attaches `sub` to the chat and hands what it missed since `afterSeq` to `onReplay`;
   * live events newer than the replay reach `sub` only after `onReplay` has returned.
   */
  subscribe(chatId: string, sub: Subscriber, afterSeq: number, onReplay: (replay: ReplayResult) => void): Promise<void>;
  unsubscribe(chatId: string, sub: Subscriber): void;
  /** Posts a user message once per `clientMsgId` and queues its turn; a repeat gets the first ack. */
  send(input: SendInput): Promise<Outcome>;
  /**
   * Records a button press or an answer once per button or request (the first wins) and per `clientMsgId` (a
   * resend gets the first ack), and queues the turn that answers it.
   */
  press(input: PressInput): Promise<Outcome>;
  /** Logs a workspace write once per `clientMsgId` and fans it out; no turn runs. A repeat gets the first ack. */
  record(input: RecordInput): Promise<Outcome>;
  /** Logs a device's imported messages as one `imported` event, once per client_msg_id (`relay/core/import.ts`). */
  importMessages(input: ImportInput): Promise<Outcome>;
  /** Logs a `retract` of a message once per client_msg_id (a `delete` frame); no turn runs. */
  retract(input: RetractInput): Promise<Outcome>;
  /**
   * The newest copy of a message of the chat (a running reply as far as it got), or undefined when the chat's
   * history holds none; throws StorageUnavailable when the history is out of reach. Used by `continue`.
   */
  findMessage(chatId: string, id: string): Promise<ChatMessage | undefined>;
  /** Stops the running turn (or the named one); false when none runs. */
  stop(chatId: string, turnId: string | undefined): Promise<boolean>;
  /** Whether the backend can accept writes right now, for /healthz. */
  status(): { ok: boolean; detail?: string };
  /** Where chat history is kept and whether it can take writes, for /healthz. */
  history?(): HistoryStatus;
  chatCount(): number;
  close(): Promise<void>;
  /** Registers a call for when every client must resume from scratch (shared storage came back). */
  onReset?(listener: () => void): void;
  /**
   * The agent as clients should see it, given this relay's own view: a shared backend reports an agent
   * connected to another relay as online. `onAgentChange` fires when that view may have changed.
   */
  agentInfo?(local: AgentInfo): AgentInfo;
  onAgentChange?(listener: () => void): void;
}

/** Thrown by `subscribe` when shared storage is out of reach. */
export class StorageUnavailable extends Error {
  override readonly name = 'StorageUnavailable';
  constructor() {
    super('The relay cannot reach its shared storage right now; subscribe again shortly.');
  }
}
