// Draws media/icon.png (128x128 RGBA) with Node alone: a rounded dark-blue tile holding a 4x4 grid
// of guest pages: write-protected (tracked) pages amber, a trapped one marked with a breakpoint dot,
// and a shadow "mirror" bar under the grid. Shapes are signed-distance functions, anti-aliased.
//   node scripts/make-icon.mjs [out.png]
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 128;
const out = process.argv[2] ?? 'media/icon.png';

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const hexColor = (h) => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
/** Signed distance to a rounded rectangle centred at (cx, cy), half sizes (hw, hh), radius r. */
function roundRect(x, y, cx, cy, hw, hh, r) {
  const qx = Math.abs(x - cx) - hw + r;
  const qy = Math.abs(y - cy) - hh + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}
const circle = (x, y, cx, cy, r) => Math.hypot(x - cx, y - cy) - r;
const cover = (d) => Math.min(1, Math.max(0, 0.5 - d)); // 1 inside, 0 outside, 1px ramp

const BG_TOP = hexColor('#1f4b8a');
const BG_BOTTOM = hexColor('#0d1f3c');
const PAGE = hexColor('#3b6db3');
const TRACKED = hexColor('#f5b335');
const TRAP = hexColor('#e5484d');
const SHADOW = hexColor('#7fd1ae');

// Which pages are tracked (amber), and which one trapped.
const tracked = new Set(['0,0', '1,0', '1,1', '2,1', '1,2', '3,2', '2,3']);
const trapped = '2,1';

const px = new Uint8Array(N * N * 4);
for (let y = 0; y < N; y++) {
  for (let x = 0; x < N; x++) {
    const sx = x + 0.5;
    const sy = y + 0.5;
    const tile = cover(roundRect(sx, sy, 64, 64, 62, 62, 24));
    let c = mix(BG_TOP, BG_BOTTOM, sy / N);
    // 4x4 pages, 19 px each, 6 px apart, grid from (17, 14)
    for (let gy = 0; gy < 4; gy++) {
      for (let gx = 0; gx < 4; gx++) {
        const cx = 17 + gx * 25 + 9.5;
        const cy = 14 + gy * 25 + 9.5;
        const a = cover(roundRect(sx, sy, cx, cy, 9.5, 9.5, 3.5));
        if (a > 0) c = mix(c, tracked.has(`${gx},${gy}`) ? TRACKED : PAGE, a);
        if (`${gx},${gy}` === trapped) {
          const ring = cover(circle(sx, sy, cx, cy, 6.5));
          c = mix(c, hexColor('#ffffff'), ring);
          c = mix(c, TRAP, cover(circle(sx, sy, cx, cy, 5)));
        }
      }
    }
    // the shadow: a bar mirroring the grid's width
    c = mix(c, SHADOW, cover(roundRect(sx, sy, 64, 116, 43, 3.5, 3.5)));
    const i = (y * N + x) * 4;
    px[i] = Math.round(c[0]);
    px[i + 1] = Math.round(c[1]);
    px[i + 2] = Math.round(c[2]);
    px[i + 3] = Math.round(255 * tile);
  }
}

// PNG: signature, IHDR, IDAT (filter byte 0 per row), IEND.
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) Buffer.from(px.buffer, y * N * 4, N * 4).copy(raw, y * (N * 4 + 1) + 1);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(out, png);
console.log(`${out}: ${N}x${N}, ${png.length} bytes`);
