/** Deterministic markdown of any length with what agents reply with: headings, lists, code, tables, quotes. */

const TOPICS = ['relay', 'replay buffer', 'service worker', 'outbox', 'fan-out', 'IndexedDB', 'markdown', 'backoff'];

function section(i: number): string {
  const topic = TOPICS[i % TOPICS.length] ?? 'topic';
  const rows = Array.from(
    { length: 5 },
    (_, r) => `| ${topic} ${r + 1} | ${(r + 1) * 17 + i} ms | ${r % 2 ? 'yes' : 'no'} | \`v${i}.${r}\` |`,
  );
  return `## ${i + 1}. How the ${topic} behaves

The **${topic}** keeps working when the network does not. Each step below is *idempotent*, so running it twice is
harmless, and every write carries the [sequence number](https://example.com/seq/${i}) it was made at.

- first, the client stores the message with a \`client_msg_id\`
- then the relay acknowledges it and fans it out to every tab
  - nested: tabs that already hold it ignore the copy
- finally the reply streams back, token by token

1. open the chat
2. read the history from disk
3. resume from the stored seq

> Note: a reply that was cut off is asked for again, ahead of later messages (${i}).

\`\`\`ts
export function resume(chat: string, seq: number): Frame {
  // ${topic}: replay what was missed since seq ${i}
  const frame = { type: 'subscribe', chat_id: chat, after_seq: seq } as const;
  return frame satisfies Frame;
}
\`\`\`

| Case | Time | Cached | Version |
| --- | ---: | :---: | --- |
${rows.join('\n')}

`;
}

/** Exactly `chars` characters of markdown. */
export function markdownSample(chars: number): string {
  let text = '# A long reply\n\n';
  for (let i = 0; text.length < chars; i++) text += section(i);
  return text.slice(0, chars);
}

/** Splits text into tokens of `size` characters, as a model would stream it. */
export function tokens(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
