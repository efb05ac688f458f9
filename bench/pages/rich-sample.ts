/** Deterministic math-heavy and diagram-heavy markdown of any length, for the render benchmark's other two cases. */

export type Sample = 'prose' | 'math' | 'diagram';

function mathSection(i: number): string {
  return `## ${i + 1}. Estimates

The mean $\\bar{x}_{${i}} = \\frac{1}{n}\\sum_{k=1}^{n} x_k$ and the variance \\(\\sigma^2 = \\mathbb{E}[(X-\\mu)^2]\\) bound
the error: by Chebyshev, $P(|X-\\mu| \\ge k\\sigma) \\le \\frac{1}{k^2}$ for every $k > ${i % 5}$.

$$
\\int_{0}^{${i + 1}} e^{-\\lambda t}\\,dt = \\frac{1 - e^{-${i + 1}\\lambda}}{\\lambda}
$$

- a price is not math: $${i}0 and $${i}5
- a matrix: $\\begin{pmatrix} a & ${i} \\\\ c & d \\end{pmatrix}$ has determinant $ad - ${i}c$

\\[ \\sum_{n=1}^{\\infty} \\frac{1}{n^{${(i % 3) + 2}}} = \\zeta(${(i % 3) + 2}) \\]

`;
}

function diagramSection(i: number): string {
  return `## ${i + 1}. Flow ${i + 1}

The relay fans every event out, and a tab that missed some asks again from its stored seq (step ${i}).

\`\`\`mermaid
flowchart LR
  A${i}[Tab ${i}] -->|send| R${i}(Relay)
  R${i} -->|turn| G${i}{Agent}
  G${i} -->|deltas| R${i}
  R${i} -->|fan-out| P${i}[Phone ${i}]
\`\`\`

- the outbox holds what was written offline
- the replay buffer answers \`after_seq: ${i * 10}\`

`;
}

/** Exactly `chars` characters of markdown of the given kind ('prose' is not made here: see markdown-sample.ts). */
export function richSample(kind: 'math' | 'diagram', chars: number): string {
  let text = kind === 'math' ? '# A reply with math\n\n' : '# A reply with diagrams\n\n';
  for (let i = 0; text.length < chars; i++) text += kind === 'math' ? mathSection(i) : diagramSection(i);
  return text.slice(0, chars);
}
