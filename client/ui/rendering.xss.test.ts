/**
 * Every place that shows text from an agent or a user, fed every vector of the XSS corpus
 * (test/fixtures/xss: DOMPurify's fixtures, OWASP's and PortSwigger's cheat sheets, Parley's markdown shapes).
 * No CSP here on purpose: the rendering alone must hold, as it must on a static host that sends no policy.
 * A new place is one more entry in PLACES.
 */

/// <reference types="mocha" />

import { expect } from '@esm-bundle/chai';
import { findXssProblems } from '../test-support/xss-audit.ts';
import { rememberAttachment } from '../state/attachment-urls.ts';
import type { LocalMessage, Session } from '../state/types.ts';
import { toMarkdown } from '../state/export-import.ts';
import { SearchIndex, tokenize } from '../state/search-index.ts';
import { loadRenderer } from './chat/markdown-view.ts';
import { loadMath } from '../markdown/math-loader.ts';
import { frameLocation, renderDiagram } from '../diagram/diagram-host.ts';
import './dialogs/data-dialog.ts';
import './dialogs/image-lightbox.ts';
import './chat/pinned-list.ts';
import './dialogs/search-dialog.ts';
import './composer/chat-composer.ts';
import './chat/chat-message.ts';
import './shell/connection-status.ts';
import './chat/markdown-view.ts';
import './sidebar/session-list.ts';

interface Corpus {
  source: string;
  vectors: string[];
}

const FIXTURES = '/test/fixtures/xss/';
const index = (await (await fetch(`${FIXTURES}index.json`)).json()) as { files: string[] };
const corpora = await Promise.all(
  index.files.map(async (file) => ({ file, ...((await (await fetch(FIXTURES + file)).json()) as Corpus) })),
);

/** What a payload that ran would have called; payloads use alert, confirm, prompt, print and open. */
const ran: string[] = [];
const trap =
  (name: string) =>
  (...args: unknown[]) =>
    void ran.push(`${name}(${args.map(String).join(', ')})`);
Object.assign(window, {
  alert: trap('alert'),
  confirm: trap('confirm'),
  prompt: trap('prompt'),
  print: trap('print'),
  open: trap('open'),
});
document.addEventListener('securitypolicyviolation', (e) => ran.push(`CSP ${e.violatedDirective}: ${e.blockedURI}`));

const PNG = Uint8Array.from(
  atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=='),
  (c) => c.charCodeAt(0),
);
rememberAttachment('xss-image', new Blob([PNG], { type: 'image/png' }));
rememberAttachment('xss-file', new Blob(['notes'], { type: 'text/plain' }));

const assistant = (v: string, i: number): LocalMessage => ({
  chat_id: 'xss',
  id: `a${i}`,
  role: 'assistant',
  text: v,
  created_at: 0,
  state: 'error',
  error: v,
  edited_at: 1,
  reasoning: v,
  tools: [{ call_id: 't', name: v, arguments: v, output: v, result: v, status: 'error' }],
  attachments: [
    { id: 'xss-image', name: v, mime: 'image/png', size: PNG.length },
    { id: 'xss-file', name: v, mime: 'text/plain', size: 5 },
  ],
  buttons: [[{ id: 'b', label: v }]],
  requests: [
    { kind: 'approval', id: 'r1', tool: v, call_id: 'c', arguments: v, description: v },
    {
      kind: 'approval',
      id: 'r2',
      tool: v,
      call_id: 'c2',
      arguments: v,
      answer: { kind: 'approval', decision: 'deny', reason: v },
      answered_by: { client_id: v, device: v },
      answered_at: 1,
    },
    {
      kind: 'question',
      id: 'r3',
      prompt: v,
      schema: {
        type: 'object',
        properties: {
          a: { type: 'string', title: v, description: v, default: v },
          b: { type: 'string', enum: [v], title: v },
          c: { type: 'array', items: { type: 'string', enum: [v] }, title: v },
        },
      },
    },
  ],
});

const user = (v: string, i: number): LocalMessage => ({
  chat_id: 'xss',
  id: `u${i}`,
  role: 'user',
  text: v,
  created_at: 0,
  state: 'failed',
  error: v,
});

const session = (v: string, i: number): Session => ({
  id: `s${i}`,
  title: v,
  titled: true,
  pinned: i % 2 === 0,
  created_at: 0,
  updated_at: i,
  preview: v,
});

const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));

/** Opens the session list's rename form and delete confirmation, so their text is on screen too. */
async function openSessionTools(el: HTMLElement): Promise<void> {
  const root = el.shadowRoot;
  root?.querySelector<HTMLButtonElement>('button[aria-label^="Delete "]')?.click();
  await frame();
  root?.querySelector<HTMLButtonElement>('button[aria-label^="Rename "]')?.click();
}

interface Place {
  name: string;
  /** How long the whole corpus may take in this place (30 s unless said). */
  timeout?: number;
  mount(vector: string, i: number): HTMLElement;
  /** After the first render: open whatever else shows the text. */
  settle?(el: HTMLElement): Promise<void>;
}

const PLACES: Place[] = [
  {
    name: 'markdown (finished reply)',
    mount: (v) => Object.assign(document.createElement('markdown-view'), { text: v }),
  },
  {
    name: 'markdown (streaming tail)',
    mount: (v) => Object.assign(document.createElement('markdown-view'), { text: v, streaming: true }),
  },
  {
    // Every vector as TeX too: inline, \(…\) and display, so KaTeX's output meets the same audit.
    name: 'math in markdown (KaTeX)',
    mount: (v) =>
      Object.assign(document.createElement('markdown-view'), {
        text: `$${v}$ and \\(${v}\\)\n\n$$\n${v}\n$$\n\n\\[${v}\\]`,
      }),
  },
  {
    // Every vector as a mermaid label and as a whole diagram, drawn in the diagram frame (no CSP here either).
    name: 'mermaid diagrams in markdown (drawn in the diagram frame, shown as images)',
    timeout: 120_000,
    mount: (v) =>
      Object.assign(document.createElement('markdown-view'), {
        text: `\`\`\`mermaid\nflowchart LR\n  A["${v.replace(/"/g, '#quot;')}"] --> B[${v}]\n\`\`\`\n\n\`\`\`mermaid\n${v}\n\`\`\``,
      }),
    settle: diagramsDrawn,
  },
  {
    name: 'agent message: markdown, reasoning, tool name/arguments/output/result, file names, image alt, buttons, error',
    mount: (v, i) => Object.assign(document.createElement('chat-message'), { message: assistant(v, i) }),
  },
  {
    name: 'user message and its failure text',
    mount: (v, i) => Object.assign(document.createElement('chat-message'), { message: user(v, i), pinned: true }),
  },
  {
    name: 'session title and preview (list, rename form, delete confirmation)',
    mount: (v, i) => Object.assign(document.createElement('session-list'), { sessions: [session(v, i)] }),
    settle: openSessionTools,
  },
  {
    name: 'agent name, model names and the connection error',
    mount: (v) => {
      const wrap = document.createElement('div');
      wrap.append(
        Object.assign(document.createElement('connection-status'), { state: 'connected', agent: v }),
        Object.assign(document.createElement('connection-status'), { state: 'offline', detail: v }),
        Object.assign(document.createElement('chat-composer'), { chatId: 'xss', models: [v, `${v}-2`], model: v }),
      );
      return wrap;
    },
  },
  {
    name: 'search results (chat title and message snippet)',
    mount: (v, i) => {
      const s = session(v, i);
      const index = SearchIndex.from(
        [s],
        [
          { ...user(v, i), chat_id: s.id },
          { ...assistant(v, i), chat_id: s.id },
        ],
      );
      return Object.assign(document.createElement('search-dialog'), { index, query: tokenize(v)[0] ?? v });
    },
  },
  {
    name: 'export Markdown preview',
    mount: (v, i) =>
      Object.assign(document.createElement('data-dialog'), {
        chatTitle: v,
        preview: toMarkdown({
          format: 'parley-export',
          version: 1,
          exported_at: 0,
          chats: [{ session: session(v, i), messages: [user(v, i), assistant(v, i)], pins: [], attachments: [] }],
        }),
      }),
  },
  {
    name: 'lightbox caption (image name)',
    mount: (v) =>
      Object.assign(document.createElement('image-lightbox'), {
        images: [
          { url: `data:image/png;base64,${btoa(String.fromCharCode(...PNG))}`, name: v },
          { url: '', name: v },
        ],
      }),
  },
  {
    name: 'pinned messages list',
    mount: (v, i) =>
      Object.assign(document.createElement('pinned-list'), {
        chatId: 'xss',
        messages: [user(v, i), assistant(v, i), { ...assistant(v, i), text: '', id: `f${i}` }],
      }),
  },
];

/** Waits until every diagram in `el` is drawn or refused, then holds each drawn SVG to what an image file may hold. */
async function diagramsDrawn(el: HTMLElement): Promise<void> {
  const figures = () => [...(el.shadowRoot?.querySelectorAll<HTMLElement>('figure.diagram') ?? [])];
  while (figures().some((f) => f.dataset['state'] === 'drawing' || f.dataset['state'] === 'waiting')) await frame();
  for (const img of el.shadowRoot?.querySelectorAll<HTMLImageElement>('figure.diagram img') ?? []) {
    const svg = decodeURIComponent(img.src.slice(img.src.indexOf(',') + 1));
    // Saved and opened as a file, an SVG is a document: it must hold no script, handler, or link out of the file.
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const found = [...doc.querySelectorAll('*')].flatMap((e) => [
      ...(['script', 'iframe', 'object', 'embed', 'a'].includes(e.localName) ? [`<${e.localName}>`] : []),
      ...[...e.attributes]
        .filter((a) => /^on/i.test(a.name) || (/(?:^|:)(?:href|src)$/i.test(a.name) && !a.value.startsWith('#')))
        .map((a) => `${a.name}="${a.value}" on <${e.localName}>`),
    ]);
    expect(found, svg.slice(0, 200)).to.deep.equal([]);
  }
}

before(async function () {
  this.timeout(30_000);
  await Promise.all([loadRenderer(), loadMath()]);
  // The dev server serves the repository; open the diagram frame now, to set the same traps in it.
  frameLocation.url = '/client/diagram-frame.html';
  await renderDiagram('flowchart LR\n  A --> B');
  const inFrame = document.querySelector<HTMLIFrameElement>('iframe[title="Diagram renderer"]')?.contentWindow;
  if (!inFrame) throw new Error('the diagram frame did not open');
  for (const name of ['alert', 'confirm', 'prompt', 'print', 'open'])
    Reflect.set(inFrame, name, (...args: unknown[]) => void ran.push(`frame ${name}(${args.map(String).join(', ')})`));
  inFrame.document.addEventListener('securitypolicyviolation', (e) =>
    ran.push(`frame CSP ${e.violatedDirective}: ${e.blockedURI}`),
  );
});

for (const corpus of corpora) {
  describe(`XSS corpus ${corpus.file} (${corpus.vectors.length} vectors from ${corpus.source.split(' ')[0]})`, () => {
    for (const place of PLACES) {
      it(`renders inertly: ${place.name}`, async function () {
        this.timeout(place.timeout ?? 30_000);
        ran.length = 0;
        const host = document.createElement('div');
        document.body.append(host);
        const els = corpus.vectors.map((v, i) => place.mount(v, i));
        host.append(...els);
        try {
          await Promise.all(els.map((el) => (el as Partial<{ updateComplete: Promise<unknown> }>).updateComplete));
          if (place.settle) await Promise.all(els.map((el) => place.settle?.(el)));
          // Let deferred renders land and anything that would fire on load, error, focus or animation fire.
          await frame();
          await new Promise((r) => setTimeout(r, 150));
          await frame();
          const problems = els.flatMap((el, i) =>
            findXssProblems(el).map((p) => `#${i} ${JSON.stringify(corpus.vectors[i]).slice(0, 120)}\n    ${p}`),
          );
          expect(ran, 'a payload ran').to.deep.equal([]);
          expect(problems, problems.slice(0, 15).join('\n')).to.deep.equal([]);
          // The text is shown, not swallowed: each element rendered something.
          expect(els.filter((el) => !(el.shadowRoot?.childNodes.length ?? el.childNodes.length)).length).to.equal(0);
        } finally {
          host.remove();
        }
      });
    }
  });
}
