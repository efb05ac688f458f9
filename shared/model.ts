/** The data carried inside frames: messages, attachments, buttons, tool calls, agent info. */

import type { RequestState } from './human-request.ts';
import type { AgentParam } from './settings.ts';

export type Role = 'user' | 'assistant';

/** A file attached to a message, base64-encoded on the wire. */
export interface Attachment {
  id: string;
  name: string;
  mime: string;
  /** Decoded size in bytes. */
  size: number;
  /** Base64 (not a data: URL). */
  data: string;
}

/** One button the agent offers under a message; pressing it sends `action`. */
export interface Button {
  id: string;
  label: string;
}

export type ToolStatus = 'running' | 'done' | 'error';

/** A tool call as it stands after a turn (or so far, mid-turn). */
export interface ToolCall {
  call_id: string;
  name: string;
  /** The arguments as the agent gave them (usually JSON text). */
  arguments: string;
  output: string;
  status: ToolStatus;
  result?: string;
}

export type TurnStatus = 'done' | 'stopped' | 'error';

/** A named step of the agent's work (AG-UI's steps), shown as progress on the reply. */
export interface Step {
  name: string;
  status: ToolStatus;
}

/** A source a reply cites: a web page (`url`) or a document the agent read. */
export interface Source {
  id: string;
  url?: string;
  title?: string;
  media_type?: string;
  filename?: string;
}

/** A framework's custom data part (the AI SDK's `data-*`), its value as JSON text. */
export interface DataPart {
  /** The part's name without `data-`. */
  name: string;
  /** A part with the same name and id replaces the earlier one. */
  id?: string;
  data: string;
  /** Shown while the turn runs, dropped when it ends (never stored). */
  transient?: boolean;
}

/** A whole message: what a finished turn compacts to, and what `send` produces. */
export interface ChatMessage {
  id: string;
  role: Role;
  text: string;
  /** Milliseconds since the epoch, stamped by the relay. */
  created_at: number;
  /** Set on assistant messages: the turn that produced them. */
  turn_id?: string;
  /** Set on assistant messages once their turn ended. */
  status?: TurnStatus;
  /** Why the turn failed, for status `error`. */
  error?: string;
  reasoning?: string;
  tools?: ToolCall[];
  attachments?: Attachment[];
  /** Rows of buttons. */
  buttons?: Button[][];
  /** Buttons already pressed (by any client), by id. */
  used_actions?: string[];
  /** Set when the agent edited the text after the turn. */
  edited_at?: number;
  /** A version of another message (a regenerated reply, an edited-and-resent message): the id of its group's first message. */
  version_of?: string;
  /** Set on replies: the message this one answers. */
  reply_to?: string;
  /** The agent's steps, in the order they began. */
  steps?: Step[];
  /** The agent's state (JSON text) as the turn left it (named apart from the client's own `state`). */
  agent_state?: string;
  /** What the reply cites. */
  sources?: Source[];
  /** Custom data parts. */
  data?: DataPart[];
  /** What the agent asked a person in this reply (approvals, questions), each with its answer once given. */
  requests?: RequestState[];
}

/** A prior message the client sends as context (the relay keeps no long-term history). */
export interface ContextMessage {
  /** `system`: instructions (the `/v1` facade's system messages), not said by either side. */
  role: Role | 'system';
  text: string;
}

export type Capability =
  | 'markdown'
  | 'reasoning'
  | 'tools'
  | 'buttons'
  | 'files'
  | 'attachments'
  | 'edit'
  | 'typing'
  | 'history'
  | 'models'
  | 'stop';

/** What the relay tells clients about the agent behind it (seed 001's `sync_state`). */
export interface AgentInfo {
  name: string;
  capabilities: Capability[];
  models?: string[];
  /** The model new turns use unless `send` names another. */
  model?: string;
  /** Parameters a chat may set (temperature…), each with its type, range and default. */
  params?: AgentParam[];
  /** False while a remote agent is not connected. */
  online: boolean;
}

export const CAPABILITIES: readonly Capability[] = [
  'markdown',
  'reasoning',
  'tools',
  'buttons',
  'files',
  'attachments',
  'edit',
  'typing',
  'history',
  'models',
  'stop',
];
