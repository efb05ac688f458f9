/** Export of one chat or all of them (lossless JSON with files as base64, or Markdown) and import of a JSON export. */

import { renameFiles } from './attachment-ids.ts';
import type { ChatArchive } from './local-data.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, parseExport, type ExportFile, type ExportedChat } from './export-format.ts';
import { blobToBase64 } from './outbox.ts';
import { newId } from './ids.ts';
import type { LocalMessage, OutboxEntry, StoredAttachment } from './types.ts';
import { IMPORT_BATCH, IMPORT_BATCH_CHARS, type RequestState } from '../../shared/index.ts';

/** Reads chats (all when `chatIds` is omitted) with their messages, pins and files from the database. */
export async function buildExport(db: ChatArchive, chatIds?: string[], now = Date.now()): Promise<ExportFile> {
  const sessions = (await db.listSessions()).filter((s) => !chatIds || chatIds.includes(s.id));
  const chats: ExportedChat[] = [];
  for (const session of sessions) {
    const [messages, pins, files] = await Promise.all([
      db.loadMessages(session.id),
      db.listPins(session.id),
      db.listAttachments(session.id),
    ]);
    const used = new Set(messages.flatMap((m) => (m.attachments ?? []).map((a) => a.id)));
    const attachments = await Promise.all(
      files
        .filter((f) => used.has(f.id))
        .map(async ({ id, name, mime, size, blob }) => ({ id, name, mime, size, data: await blobToBase64(blob) })),
    );
    chats.push({ session, messages, pins, attachments });
  }
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exported_at: now, chats };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The reader's local time with its offset, e.g. "2025-05-01 14:03 UTC+02:00": exact, and readable where it was saved. */
export function localTime(ms: number): string {
  const d = new Date(ms);
  const offset = -d.getTimezoneOffset();
  const zone = `UTC${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())} ${zone}`;
}

function quote(text: string): string {
  return text
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
}

function messageMarkdown(m: LocalMessage, pinned: boolean): string {
  const who = m.role === 'user' ? 'You' : 'Agent';
  const parts = [`### ${pinned ? '📌 ' : ''}${who} · ${localTime(m.created_at)}${m.edited_at ? ' (edited)' : ''}`];
  if (m.reasoning) parts.push(`<details><summary>Reasoning</summary>\n\n${quote(m.reasoning)}\n\n</details>`);
  for (const t of m.tools ?? []) {
    const body = [`Arguments:\n\n\`\`\`json\n${t.arguments}\n\`\`\``];
    if (t.output) body.push(`Output:\n\n\`\`\`\n${t.output}\n\`\`\``);
    if (t.result !== undefined) body.push(`Result:\n\n\`\`\`\n${t.result}\n\`\`\``);
    parts.push(`**Tool \`${t.name}\`** (${t.status})\n\n${body.join('\n\n')}`);
  }
  if (m.text) parts.push(m.text);
  for (const a of m.attachments ?? []) parts.push(`📎 ${a.name} (${a.mime}, ${a.size} bytes)`);
  const buttons = (m.buttons ?? []).flat();
  if (buttons.length) parts.push(buttons.map((b) => `[${b.label}]`).join(' '));
  for (const r of m.requests ?? []) parts.push(requestLine(r));
  if (m.error) parts.push(`_Error: ${m.error}_`);
  return parts.join('\n\n');
}

/** An agent's request and how it was settled, in one line of the transcript. */
function requestLine(r: RequestState): string {
  const asked = r.kind === 'approval' ? `**Asked to run \`${r.tool}\`**` : `**Asked:** ${r.prompt}`;
  const a = r.answer;
  const from = r.answered_by?.device ? ` (from ${r.answered_by.device})` : '';
  if (!a) return `${asked} — ${r.cancelled ? 'cancelled' : 'not answered'}`;
  if (a.kind === 'approval')
    return `${asked} — ${a.decision.replace('_', ' ')}${a.reason ? `: ${a.reason}` : ''}${from}`;
  if (a.kind === 'decline') return `${asked} — declined${a.reason ? `: ${a.reason}` : ''}${from}`;
  return `${asked} — ${Object.entries(a.values)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ')}${from}`;
}

/** A readable transcript: one section per chat, one per message; files are named, not embedded. */
export function toMarkdown(file: ExportFile): string {
  const out = [`<!-- Parley export, ${localTime(file.exported_at)} -->`];
  for (const chat of file.chats) {
    out.push(`# ${chat.session.title}`);
    const pinned = new Set(chat.pins.map((p) => p.message_id));
    for (const m of chat.messages) out.push(messageMarkdown(m, pinned.has(m.id)));
  }
  return `${out.join('\n\n')}\n`;
}

function fromBase64(data: string): Uint8Array<ArrayBuffer> {
  const bin = atob(data);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

/** A message that was in flight when exported cannot resume here: say what became of it. */
function settled(m: LocalMessage): LocalMessage {
  if (m.state === 'pending') return { ...m, state: 'failed', error: 'It had not been sent when it was exported.' };
  if (m.state === 'streaming') return { ...m, state: 'stopped' };
  return m;
}

export interface ImportResult {
  chats: string[];
  added: number;
}

/**
 * Checks the whole file first, then adds what this device lacks in one transaction: a bad file changes
 * nothing, and the same file imported twice adds nothing the second time.
 */
export async function importExport(db: ChatArchive, text: string, now = Date.now()): Promise<ImportResult> {
  const parsed = parseExport(text);
  if (!parsed.ok) throw new Error(parsed.error);
  const chats = parsed.value.chats.map((chat) => {
    const chatId = chat.session.id;
    const files = new Map(
      chat.attachments.map(({ id, name, mime, size, data }): [string, StoredAttachment] => [
        id,
        { id, name, mime, size, chat_id: chatId, blob: new Blob([fromBase64(data)], { type: mime }) },
      ]),
    );
    // Files are renamed by their message here too: a file from elsewhere may share its id with one already stored.
    const renamed = renameFiles(chatId, chat.messages.map(settled), (id) => files.get(id));
    return { session: chat.session, messages: renamed.messages, pins: chat.pins, attachments: renamed.files };
  });
  const added = await db.importChats(chats, (chatId, fresh) => shareEntries(chatId, fresh, now));
  return { chats: chats.map((c) => c.session.id), added };
}

/** Roughly what a message weighs in an `import` frame: its JSON, and its files as base64. */
function wireChars(m: LocalMessage): number {
  const files = (m.attachments ?? []).reduce((n, a) => n + Math.ceil(a.size / 3) * 4, 0);
  return JSON.stringify(m).length + files;
}

/**
 * The outbox entries that share an import's new messages with the relay, oldest first, in batches within
 * `IMPORT_BATCH` messages and `IMPORT_BATCH_CHARS`. A message that never reached an agent (it failed, or was still
 * waiting when exported) and a placeholder for an unreadable frame stay on this device.
 */
export function shareEntries(chatId: string, fresh: readonly LocalMessage[], now: number): OutboxEntry[] {
  const shared = fresh
    .filter((m) => m.state !== 'failed' && m.state !== 'pending' && !m.unreadable)
    .sort((a, b) => a.created_at - b.created_at);
  const entries: OutboxEntry[] = [];
  let batch: string[] = [];
  let chars = 0;
  const close = () => {
    if (batch.length)
      entries.push({ kind: 'import', chat_id: chatId, client_msg_id: newId('i'), message_ids: batch, created_at: now });
    batch = [];
    chars = 0;
  };
  for (const m of shared) {
    const size = wireChars(m);
    if (batch.length >= IMPORT_BATCH || (batch.length > 0 && chars + size > IMPORT_BATCH_CHARS)) close();
    batch.push(m.id);
    chars += size;
  }
  close();
  return entries;
}
