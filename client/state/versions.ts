/**
 * Message versions (issue 15 item 3): which version of each group a chat shows, and the line of messages the agent
 * continues. A version group is a first message plus every message whose `version_of` names it (a regenerated reply,
 * an edited-and-resent user message). A chat is a tree: a version sits where its group's first message sits, a reply
 * hangs under the message it answers (`reply_to`), anything else under the message before it in the log. The shown
 * branch follows, from the top, the selected version of each group (the newest when none is selected).
 */

/** The fields of a message versions read (a `ChatMessage` has them once the relay records versions). */
export interface Versioned {
  id: string;
  created_at: number;
  /** The id of the first message of this message's version group; absent on the first itself. */
  version_of?: string;
  /** The message this one answers (a reply), which is also where it hangs in the tree. */
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

/**
 * The messages the chat shows, in order: the branch through the selected version of each group (`selected`: group
 * id → version id; an unknown or missing choice means the newest version).
 */
export function branchOf<M extends Versioned>(
  messages: readonly M[],
  selected: ReadonlyMap<string, string> = new Map(),
): M[] {
  const byId = new Map(messages.map((m) => [m.id, m]));
  const groups = versionGroups(messages);
  const ROOT = '';
  // The parent of each message in the tree.
  const parentOf = new Map<string, string>();
  let previous = ROOT;
  for (const m of messages) {
    let parent: string;
    if (m.reply_to !== undefined && byId.has(m.reply_to)) parent = m.reply_to;
    else if (m.version_of !== undefined && parentOf.has(m.version_of)) parent = parentOf.get(m.version_of) ?? ROOT;
    else parent = previous;
    parentOf.set(m.id, parent);
    previous = m.id;
  }
  const children = new Map<string, M[]>();
  for (const m of messages) {
    const p = parentOf.get(m.id) ?? ROOT;
    const list = children.get(p);
    if (list) list.push(m);
    else children.set(p, [m]);
  }
  const out: M[] = [];
  const seen = new Set<string>();
  let at = ROOT;
  for (;;) {
    const kids = children.get(at);
    if (!kids?.length) break;
    // Under one message normally sits one group (the versions of the next message); the newest group wins otherwise.
    const newest = kids[kids.length - 1] as M;
    const versions = groups.get(groupOf(newest)) ?? [newest];
    const wanted = selected.get(groupOf(newest));
    const pick = versions.find((v) => v.id === wanted) ?? (versions[versions.length - 1] as M);
    if (seen.has(pick.id)) break;
    seen.add(pick.id);
    out.push(pick);
    at = pick.id;
  }
  return out;
}

/** Where `id` stands among its group's versions; undefined for a message with no other version. */
export function versionPlace<M extends Versioned>(messages: readonly M[], id: string): VersionPlace | undefined {
  const m = messages.find((x) => x.id === id);
  if (!m) return undefined;
  const group = groupOf(m);
  const versions = versionGroups(messages).get(group) ?? [];
  if (versions.length < 2) return undefined;
  const ids = versions.map((v) => v.id);
  return { group, index: ids.indexOf(id) + 1, count: ids.length, ids };
}

function stableSortByTime<M extends Versioned>(list: M[]): void {
  const order = new Map(list.map((m, i) => [m.id, i]));
  list.sort((a, b) => a.created_at - b.created_at || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
}
