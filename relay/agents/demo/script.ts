/** The demo agent's fixed texts: deterministic, so tests and benchmarks can compare replies byte for byte. */

export const HELP = `## Parley demo agent

I run inside the relay, offline, with no keys. Try these:

| Command | What you see |
| --- | --- |
| *any text* | a markdown reply with a heading, a list, a table and code |
| \`/reasoning\` | a "thinking" block streamed before the answer |
| \`/tool\` | a tool call with streamed output and a result |
| \`/buttons\` | buttons under the reply; press one |
| \`/approve\` | I ask before running a tool: allow once, always, or deny with a reason (\`/approve 60\` expires in a minute) |
| \`/ask\` | I ask you a few questions in a form |
| \`/image\` | an image file from the agent |
| \`/file\` | a text file from the agent |
| \`/math\` | inline and display formulas (TeX, rendered with KaTeX) |
| \`/diagram\` | mermaid diagrams (a flowchart, a sequence) and one with a mistake |
| \`/edit\` | I edit my previous reply |
| \`/typing\` | a typing indicator, then a reply |
| \`/long 2000\` | a long reply of N tokens |
| \`/slow\` | a slow reply, to try the stop button |
| \`/error\` | a turn that fails |
| \`/tour\` | most of the above in one reply |
| \`/model demo-thorough\` | the agent changes its default model; every tab sees it |
| \`/settings\` | echoes the chat's settings (model, system prompt, parameters) as this turn received them |
| \`/help\` | this table |
`;

/** A short reply with inline and display math, one invalid formula and prices that are not math. */
export const MATH = [
  '### Math',
  '',
  "Euler's identity $e^{i\\pi} + 1 = 0$ links five constants, and \\(a^2 + b^2 = c^2\\) is Pythagoras.",
  '',
  '$$',
  '\\int_{-\\infty}^{\\infty} e^{-x^2}\\,dx = \\sqrt{\\pi}',
  '$$',
  '',
  '\\[ \\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6} \\]',
  '',
  'Prices stay text: the pen costs $5 and the book $10. Code stays code: `$HOME` and `$x$`.',
  '',
  'A formula with a mistake shows its source: $\\frac{1}{$.',
].join('\n');

/** A short reply with two mermaid diagrams and one that does not parse. */
export const DIAGRAM = [
  '### Diagrams',
  '',
  'A flowchart:',
  '',
  '```mermaid',
  'flowchart LR',
  '  A[Browser tab] -->|send| R(Relay)',
  '  R -->|turn| G{Agent}',
  '  G -->|deltas| R',
  '  R -->|fan-out| A',
  '  R -->|fan-out| P[Phone]',
  '```',
  '',
  'A sequence:',
  '',
  '```mermaid',
  'sequenceDiagram',
  '  participant C as Client',
  '  participant R as Relay',
  '  C->>R: subscribe {epoch, after_seq}',
  '  R-->>C: subscribed {recovered: true}',
  '  R-->>C: replayed events',
  '```',
  '',
  'A diagram with a mistake shows its source and what is wrong:',
  '',
  '```mermaid',
  'flowchart LR',
  '  A --> --> B',
  '```',
].join('\n');

/** A markdown reply to plain text; depends only on the text. */
export function markdownReply(text: string): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const quoted = text
    .trim()
    .slice(0, 200)
    .replace(/[`*_[\]<>#|\\]/g, (c) => `\\${c}`);
  return `### You said

> ${quoted || '(nothing but attachments)'}

Here is what I noticed:

- **${words.length}** word${words.length === 1 ? '' : 's'}, **${text.length}** characters
- the longest word has **${Math.max(0, ...words.map((w) => w.length))}** letters
- try \`/help\` to see everything I can do

| Measure | Value |
| --- | ---: |
| words | ${words.length} |
| characters | ${text.length} |
| lines | ${text.split('\n').length} |

\`\`\`ts
// Your message, reversed word by word
const reversed = ${JSON.stringify(words.slice().reverse().join(' ').slice(0, 200))};
console.log(reversed.length); // ${Math.min(200, words.slice().reverse().join(' ').length)}
\`\`\`

That is all for now.`;
}

const LOREM = (
  'parley streams every token to every tab and device that follows the chat and ' +
  'keeps a bounded replay so a client that drops can resume exactly where it left off ' +
  'while finished turns are compacted into whole messages'
).split(' ');

/** `count` deterministic tokens of prose with a paragraph break every 60. */
export function longTokens(count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const word = LOREM[i % LOREM.length] ?? 'parley';
    out.push(i % 60 === 59 ? `${word}.\n\n` : `${word} `);
  }
  return out;
}

/** Splits text into small chunks the way a model's tokens arrive (about four characters each). */
export function chunks(text: string, size = 4): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export const REASONING =
  'The user asked me to think out loud. First I restate the question, then I weigh two readings of it, ' +
  'and finally I pick the one that fits the context best. Nothing here needs a tool.';

export const TOOL_OUTPUT = [
  'searching docs for "resume"…\n',
  'found docs/PROTOCOL.md#resume (score 0.92)\n',
  'found docs/ARCHITECTURE.md#replay (score 0.81)\n',
  'found README.md#configuration (score 0.40)\n',
];

export const FILE_TEXT = `# Notes from the demo agent

- This file was sent by the agent as an attachment (seed 000's send_file).
- It is stored in your browser, so it stays readable offline.
`;
