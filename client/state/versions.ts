/**
 * Message versions (issue 15 item 3): which version of each group a chat shows, and the line of messages the agent
 * continues. A version group is a first message plus every message whose `version_of` names it (a regenerated reply,
 * an edited-and-resent user message). Every message hangs under a parent: a version under its group's first
 * message's parent, a message with `reply_to` under that message, anything else under the message before it in the
 * log. The chat shows, in log order, every message none of whose ancestors is an unchosen version.
 *
 * Which version a group shows: the one the reader chose on this device, else the one whose line holds the chat's
 * most recent message (the branch last written to), else the newest. The default is the same on every device, as
 * it depends only on the log.
 */

/** The fields of a message versions read (a `ChatMessage` has them once the relay records versions). */
export interface Versioned {
  id: string;
  created_at: number;
  /** The id of the first message of this message's version group; absent on the first itself. */
  version_of?: string;
  /** The message this one answers (a reply) or follows (a message sent from a switched branch). */
  reply_to?: string;
}

/** Where a message stands among its group's versions, for the switcher (‹ index / count ›, index from 1). */
export interface VersionPlace {
  group: string;
  index: number;
  count: number;
  /** The ids of the group's versions, oldest first. */
  ids: string[];
}

/** The group a message belongs to: the id of the group's first message. */
export function groupOf(m: Versioned): string {
  return m.version_of ?? m.id;
}

/** Every group's versions, oldest first (log order breaks a tie in `created_at`). */
export function versionGroups<M extends Versioned>(messages: readonly M[]): Map<string, M[]> {
  const groups = new Map<string, M[]>();
  for (const m of messages) {
    const g = groupOf(m);
    const list = groups.get(g);
    if (list) list.push(m);
    else groups.set(g, [m]);
  }
  for (const list of groups.values()) stableSortByTime(list);
  return groups;
}

/** True when no message of the list is a version of another: the list is its own branch. */
function hasVersions(messages: readonly Versioned[]): boolean {
  return messages.some((m) => m.version_of !== undefined && m.version_of !== m.id);
}

/**
 * The messages the chat shows, in log order: the branch through the chosen version of each group (`selected`:
 * group id → version id; an unknown or missing choice falls back to the default above).
 */
export function branchOf<M extends Versioned>(
  messages: readonly M[],
  selected: ReadonlyMap<string, string> = new Map(),
): M[] {
  if (!hasVersions(messages)) return messages.slice();
  const index = new Map(messages.map((m, i) => [m.id, i]));
  const parentOf = parents(messages, index);
  const groups = versionGroups(messages);
  const latest = latestBelow(messages, parentOf);
  const pick = new Map<string, string>();
  for (const [group, versions] of groups) {
    if (versions.length < 2) continue;
    const wanted = selected.get(group);
    const chosen =
      versions.find((v) => v.id === wanted) ??
      versions.reduce((best, v) => ((latest.get(v.id) ?? -1) > (latest.get(best.id) ?? -1) ? v : best));
    pick.set(group, chosen.id);
  }
  // Hidden: an unchosen version, or anything under one. Parents mostly come first in the log; a guard stops cycles.
  const hidden = new Map<string, boolean>();
  const isHidden = (m: M, depth = 0): boolean => {
    const known = hidden.get(m.id);
    if (known !== undefined) return known;
    const chosen = pick.get(groupOf(m));
    let out = chosen !== undefined && chosen !== m.id;
    const parent = parentOf.get(m.id);
    const up = parent === undefined ? undefined : messages[index.get(parent) ?? -1];
    if (!out && up && depth < messages.length) out = isHidden(up, depth + 1);
    hidden.set(m.id, out);
    return out;
  };
  return messages.filter((m) => !isHidden(m));
}

/**
 * The choices that bring message `id` into the branch shown: the version of each group on its line, from the top
 * (empty when it has no versions on its line, or is unknown). A jump to a message (a search hit, a pin) applies them.
 */
export function choicesToShow(messages: readonly Versioned[], id: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!hasVersions(messages)) return out;
  const index = new Map(messages.map((m, i) => [m.id, i]));
  const parentOf = parents(messages, index);
  for (let at: string | undefined = id, n = 0; at !== undefined && n <= messages.length; n++) {
    const m = messages[index.get(at) ?? -1];
    if (!m) break;
    out.set(groupOf(m), m.id);
    at = parentOf.get(at);
  }
  return out;
}

/** Each message's parent id (absent: the top of the chat). */
function parents<M extends Versioned>(messages: readonly M[], index: ReadonlyMap<string, number>): Map<string, string> {
  const parentOf = new Map<string, string>();
  messages.forEach((m, i) => {
    let parent: string | undefined;
    if (m.version_of !== undefined && m.version_of !== m.id && index.has(m.version_of)) {
      parent = parentOf.get(m.version_of);
    } else if (m.reply_to !== undefined && index.has(m.reply_to)) parent = m.reply_to;
    else parent = messages[i - 1]?.id;
    if (parent !== undefined && parent !== m.id) parentOf.set(m.id, parent);
  });
  return parentOf;
}

/** For each message, the log index of the newest message in its line (itself or anything under it). */
function latestBelow<M extends Versioned>(
  messages: readonly M[],
  parentOf: ReadonlyMap<string, string>,
): Map<string, number> {
  const latest = new Map<string, number>();
  // Newest first: a walk up stops at the first ancestor that already holds something newer.
  for (let i = messages.length - 1; i >= 0; i--) {
    let id: string | undefined = (messages[i] as M).id;
    let steps = 0;
    while (id !== undefined && (latest.get(id) ?? -1) < i && steps++ <= messages.length) {
      latest.set(id, i);
      id = parentOf.get(id);
    }
  }
  return latest;
}

/** Where each message with other versions stands among them (messages without any are absent). */
export function versionPlaces(messages: readonly Versioned[]): Map<string, VersionPlace> {
  const out = new Map<string, VersionPlace>();
  if (!hasVersions(messages)) return out;
  for (const [group, versions] of versionGroups(messages)) {
    if (versions.length < 2) continue;
    const ids = versions.map((v) => v.id);
    ids.forEach((id, i) => out.set(id, { group, index: i + 1, count: ids.length, ids }));
  }
  return out;
}

/** Where `id` stands among its group's versions; undefined for a message with no other version. */
export function versionPlace(messages: readonly Versioned[], id: string): VersionPlace | undefined {
  return versionPlaces(messages).get(id);
}

function stableSortByTime<M extends Versioned>(list: M[]): void {
  const order = new Map(list.map((m, i) => [m.id, i]));
  list.sort((a, b) => a.created_at - b.created_at || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}
