// Writes brotli (.br) and gzip (.gz) copies beside the built client's text files, for the relay to serve
// by Accept-Encoding (relay/http/static-files.ts). Run by `npm run build:client` after vite; node:zlib only.
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL(process.argv[2] ?? '../dist/', import.meta.url));
/** Text types; images and fonts are compressed already. */
const TYPES = /\.(html|js|mjs|css|json|webmanifest|svg|txt|map|ico)$/;
/** Edited in place by whoever deploys dist/: a copy made now would go stale, so they are always sent as they are. */
const EDITABLE = new Set(['config.json', 'config.example.json']);
/** Below this, the bytes saved do not pay for a second file and a decode. */
const MIN_BYTES = 512;

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}

let before = 0;
let br = 0;
let gz = 0;
for (const path of walk(root)) {
  const rel = relative(root, path);
  if (!TYPES.test(path) || EDITABLE.has(rel)) continue;
  const data = readFileSync(path);
  if (data.length < MIN_BYTES) continue;
  const copies = [
    [
      '.br',
      brotliCompressSync(data, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length },
      }),
    ],
    ['.gz', gzipSync(data, { level: 9 })],
  ];
  before += data.length;
  for (const [suffix, bytes] of copies) {
    // A copy no smaller than the file is never worth sending.
    if (bytes.length >= data.length) continue;
    writeFileSync(path + suffix, bytes);
    if (suffix === '.br') br += bytes.length;
    else gz += bytes.length;
  }
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`precompressed ${relative(process.cwd(), root) || '.'}: ${kb(before)} → brotli ${kb(br)}, gzip ${kb(gz)}`);
