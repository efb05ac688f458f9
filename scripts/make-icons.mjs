// Draws Parley's PNG icons (a speech bubble on teal) with signed distance fields and writes them to public/icons.
import { Buffer } from 'node:buffer';
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const roundedBox = (px, py, cx, cy, hw, hh, r) => {
  const qx = Math.abs(px - cx) - hw + r;
  const qy = Math.abs(py - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};
const circle = (px, py, cx, cy, r) => Math.hypot(px - cx, py - cy) - r;
// Triangle tail of the bubble, as the distance to a half-plane intersection (good enough at these sizes).
const tail = (px, py) => {
  const d1 = (px - 0.3) * 0.8 - (py - 0.62) * 0.6; // right edge
  const d2 = -(px - 0.3); // left edge
  const d3 = py - 0.8 + (px - 0.3) * 0.9; // bottom slope
  return Math.max(d1, d2 - 0.03, d3, 0.62 - py);
};

/** Coverage of a shape at a pixel, from its signed distance (negative inside), antialiased over one pixel. */
const cover = (d, px) => Math.min(1, Math.max(0, 0.5 - d / px));

function draw(size, { maskable = false, background = true } = {}) {
  const out = Buffer.alloc(size * size * 4);
  const bg = [15, 118, 110];
  const fg = [255, 255, 255];
  const dot = [15, 118, 110];
  const scale = maskable ? 0.62 : 0.8; // maskable icons keep content inside the 80% safe zone
  const px = 1 / size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const u = (x + 0.5) / size;
      const v = (y + 0.5) / size;
      // Background: full bleed for maskable, rounded square otherwise.
      const bgD = maskable ? -1 : roundedBox(u, v, 0.5, 0.5, 0.5, 0.5, 0.22);
      const a = background ? cover(bgD, px) : 0;
      // Content in a centred box of side `scale`.
      const cu = (u - 0.5) / scale + 0.5;
      const cv = (v - 0.5) / scale + 0.5;
      const cpx = px / scale;
      const bubble = Math.min(roundedBox(cu, cv, 0.5, 0.45, 0.4, 0.29, 0.16), tail(cu, cv));
      const fa = cover(bubble, cpx);
      let dots = 1;
      for (const dx of [0.32, 0.5, 0.68]) dots = Math.min(dots, circle(cu, cv, dx, 0.45, 0.055));
      const da = cover(dots, cpx) * fa;
      const mix = (c) => Math.round(bg[c] * (1 - fa) + fg[c] * fa) * (1 - da) + dot[c] * da;
      const alpha = Math.max(a, fa);
      const i = (y * size + x) * 4;
      out[i] = Math.round(mix(0));
      out[i + 1] = Math.round(mix(1));
      out[i + 2] = Math.round(mix(2));
      out[i + 3] = Math.round(alpha * 255);
    }
  }
  return png(size, out);
}

const dir = new URL('../public/icons/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('icon-192.png', dir), draw(192));
writeFileSync(new URL('icon-512.png', dir), draw(512));
writeFileSync(new URL('maskable-512.png', dir), draw(512, { maskable: true }));
writeFileSync(new URL('maskable-192.png', dir), draw(192, { maskable: true }));
writeFileSync(new URL('apple-touch-icon.png', dir), draw(180, { maskable: true }));
console.log('icons written to public/icons');
