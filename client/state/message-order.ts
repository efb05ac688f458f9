/** The order messages are shown in: one rule for every tab and device, and for what replaces what after a restart. */

import type { LocalMessage } from './types.ts';

/**
 * Display order, the same on every tab and device: relay time; within one millisecond the user's message
 * before a reply, and the user's messages in the order the relay took them (their seq); then id.
 */
export function compareMessages(a: LocalMessage, b: LocalMessage): number {
  if (a.created_at !== b.created_at) return a.created_at - b.created_at;
  if (a.role !== b.role) return a.role === 'user' ? -1 : 1;
  if (a.role === 'user' && a.epoch === b.epoch && a.seq !== undefined && b.seq !== undefined && a.seq !== b.seq) {
    return a.seq - b.seq;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
