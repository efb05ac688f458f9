/** A tiny syntax highlighter for finished code blocks: builds spans from text nodes, never from HTML strings. */

const KEYWORDS = new Set(
  (
    'abstract as async await break case catch class const continue def default del delete do elif else enum export ' +
    'extends false final finally fn for from func function go if impl implements import in instanceof interface is ' +
    'lambda let loop match mod mut new nil none not null or package pass private protected pub public raise return ' +
    'self static struct super switch this throw true try type typeof undefined use var void while with yield ' +
    'select insert update where join into values create table drop alter and limit order by group having ' +
    'echo fi then done esac local export readonly True False None'
  ).split(' '),
);

type Kind = 'comment' | 'string' | 'number' | 'keyword' | 'plain';

const TOKEN =
  /(\/\/[^\n]*|\/\*[\s\S]*?\*\/|#(?![{[!])[^\n]*|--[^\n]*)|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`)|(\b\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?\b|\b0x[\da-f]+\b)|([A-Za-z_$][\w$]*)/gi;

/** Languages where `#` starts a comment and `--` does not, and so on. */
function commentAllowed(marker: string, lang: string): boolean {
  if (marker.startsWith('#'))
    return /^(py|python|sh|bash|shell|zsh|yaml|yml|toml|ruby|rb|r|perl|conf|ini|dockerfile)$/.test(lang);
  if (marker.startsWith('--')) return /^(sql|lua|haskell|hs)$/.test(lang);
  return !/^(py|python|sh|bash|shell|zsh|yaml|yml|toml|sql|html|xml|json|markdown|md|text|txt|plain)$/.test(lang);
}

export function tokenize(code: string, lang: string): [Kind, string][] {
  const out: [Kind, string][] = [];
  // A regex of this call's own: `matchAll` iterates a clone, so moving `lastIndex` to rescan
  // after a false comment only works with `exec`, and a shared regex would carry it to the next block.
  const token = new RegExp(TOKEN);
  let last = 0;
  for (let m = token.exec(code); m !== null; m = token.exec(code)) {
    const index = m.index;
    const [text, comment, str, num, word] = m;
    let kind: Kind = 'plain';
    if (comment !== undefined) {
      if (!commentAllowed(comment, lang)) {
        // Not a comment in this language: skip just the first character and rescan.
        token.lastIndex = index + 1;
        continue;
      }
      kind = 'comment';
    } else if (str !== undefined) kind = 'string';
    else if (num !== undefined) kind = 'number';
    else if (word !== undefined && KEYWORDS.has(word)) kind = 'keyword';
    if (kind === 'plain') continue;
    if (index > last) out.push(['plain', code.slice(last, index)]);
    out.push([kind, text]);
    last = index + text.length;
  }
  if (last < code.length) out.push(['plain', code.slice(last)]);
  return out;
}

/** Replaces a code element's text with highlighted spans (class `tok-<kind>`). */
export function highlightElement(code: HTMLElement): void {
  const lang = /language-([\w+-]+)/.exec(code.className)?.[1]?.toLowerCase() ?? '';
  if (/^(text|txt|plain|markdown|md)$/.test(lang)) return;
  const doc = code.ownerDocument;
  const frag = doc.createDocumentFragment();
  for (const [kind, text] of tokenize(code.textContent ?? '', lang)) {
    if (kind === 'plain') frag.append(text);
    else {
      const span = doc.createElement('span');
      span.className = `tok-${kind}`;
      span.textContent = text;
      frag.append(span);
    }
  }
  code.replaceChildren(frag);
}
