/** Compacts the shared workspace's Stream: read it, keep what `compactWorkspace` keeps, and swap it in with one script. */

import type { ChatEvent } from '../../shared/index.ts';
import type { Logger } from '../core/logger.ts';
import { compactWorkspace, CompactionSchedule } from '../core/workspace.ts';
import type { RedisConnection } from './connection.ts';
import { chatKeys, parseEvent } from './keys.ts';
import type { ScriptRunner } from './script-runner.ts';
import { logParams, REWRITE_LOG, type LogLimits } from './scripts.ts';

interface RawEntry {
  seq: number;
  /** When it was logged (field `a`), as stored. */
  at: string;
  frame: string;
  event: ChatEvent;
}

/**
 * An XRANGE reply as entries with their frame and logged time, or undefined when one is not a plain logged event:
 * the script keeps only what it is given, so a log the relay cannot read whole is not compacted.
 */
function rawEntries(raw: unknown): RawEntry[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const out: RawEntry[] = [];
  for (const item of raw) {
    if (!Array.isArray(item) || typeof item[0] !== 'string' || !Array.isArray(item[1])) return undefined;
    const list: unknown[] = item[1];
    const fields = new Map<string, unknown>();
    for (let i = 0; i + 1 < list.length; i += 2) fields.set(String(list[i]), list[i + 1]);
    const frame = fields.get('e');
    const at = fields.get('a');
    const event = parseEvent(frame);
    const seq = Number(item[0].split('-')[1]);
    if (!event || typeof frame !== 'string' || typeof at !== 'string' || fields.has('m')) return undefined;
    if (!Number.isSafeInteger(seq)) return undefined;
    out.push({ seq, at, frame, event });
  }
  return out;
}

/**
 * Drops the changes that lost from the workspace's Stream. Returns how many changes it holds now and how many went,
 * or undefined when the log changed under the read (another relay compacted it, or retention trimmed it): the
 * next compaction tries again.
 */
export async function compactSharedWorkspace(
  redis: RedisConnection,
  scripts: ScriptRunner,
  chatId: string,
  epoch: string,
  limits: LogLimits,
): Promise<{ live: number; dropped: number } | undefined> {
  const keys = chatKeys(chatId);
  const entries = rawEntries(await redis.command(['XRANGE', keys.log, '-', '+']));
  if (!entries) return undefined;
  const through = entries.at(-1)?.seq;
  const { kept, live, dropped } = compactWorkspace(entries);
  if (through === undefined || dropped === 0) return { live, dropped };
  const args = [String(through)];
  // An entry kept whole is the same object: its stored frame goes back unchanged.
  const whole = new Set(entries);
  for (const e of kept) args.push(String(e.seq), e.at, whole.has(e) ? e.frame : JSON.stringify(e.event));
  const swapped = await scripts.run(REWRITE_LOG, ...logParams(chatId, epoch, limits, [keys.rewrite], args));
  return Number(swapped) === 1 ? { live, dropped } : undefined;
}

/** When this relay compacts the shared workspace: after enough writes through it, one compaction at a time. */
export class WorkspaceCompactor {
  private readonly schedule = new CompactionSchedule();
  private running: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisConnection,
    private readonly scripts: ScriptRunner,
    private readonly logger: Logger,
    private readonly context: () => { epoch: string; limits: LogLimits },
  ) {}

  /** A write of `changes` changes was taken; compacts in the background once enough were. */
  wrote(chatId: string, changes: number): void {
    if (this.schedule.wrote(changes)) this.running ??= this.compact(chatId);
  }

  /** Resolves once a compaction running now has finished. */
  async settle(): Promise<void> {
    await this.running;
  }

  private async compact(chatId: string): Promise<void> {
    try {
      const { epoch, limits } = this.context();
      const done = await compactSharedWorkspace(this.redis, this.scripts, chatId, epoch, limits);
      if (done) {
        this.schedule.compacted(done.live);
        this.logger.info('workspace compacted', { chat: chatId, ...done });
      }
    } catch (err) {
      this.logger.warn('workspace compaction failed', { chat: chatId, error: String(err) });
    } finally {
      this.running = undefined;
    }
  }
}
