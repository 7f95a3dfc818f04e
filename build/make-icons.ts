// Writes the tray icons (green / amber / red) and the app icon as PNGs with zlib only, so the build needs
// no image tools. Each state has its own shape as well as its colour — a check in a circle, an exclamation
// mark in a triangle, a cross in a square — because status is never told by colour alone.
// Run: node build/make-icons.ts
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

type Rgba = [number, number, number, number];
type Shape = (x: number, y: number) => Rgba | null;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function encodePng(size: number, pixel: Shape): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      // 4×4 supersampling smooths the edges at tray sizes.
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) {
        const p = pixel((x + (sx + 0.5) / 4) / size, (y + (sy + 0.5) / 4) / size);
        if (p) { r += p[0] * p[3]; g += p[1] * p[3]; b += p[2] * p[3]; a += p[3]; }
      }
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = a ? Math.round(r / a) : 0; raw[o + 1] = a ? Math.round(g / a) : 0; raw[o + 2] = a ? Math.round(b / a) : 0; raw[o + 3] = Math.round(a / 16);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0); ihdr.writeUInt32BE(size, 4); ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

const WHITE: Rgba = [255, 255, 255, 255];
const seg = (px: number, py: number, ax: number, ay: number, bx: number, by: number) => {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
};

const green: Shape = (x, y) => {
  if (Math.hypot(x - 0.5, y - 0.5) > 0.47) return null;
  if (seg(x, y, 0.27, 0.52, 0.43, 0.68) < 0.07 || seg(x, y, 0.43, 0.68, 0.74, 0.34) < 0.07) return WHITE;
  return [22, 140, 60, 255];
};
const amber: Shape = (x, y) => {
  const inTri = y > 0.06 && y < 0.94 && Math.abs(x - 0.5) < (y - 0.06) * 0.55;
  if (!inTri) return null;
  if ((Math.abs(x - 0.5) < 0.06 && y > 0.33 && y < 0.68) || Math.hypot(x - 0.5, y - 0.8) < 0.065) return [40, 30, 0, 255];
  return [240, 170, 0, 255];
};
const red: Shape = (x, y) => {
  if (x < 0.06 || x > 0.94 || y < 0.06 || y > 0.94) return null;
  if (seg(x, y, 0.28, 0.28, 0.72, 0.72) < 0.08 || seg(x, y, 0.72, 0.28, 0.28, 0.72) < 0.08) return WHITE;
  return [200, 30, 30, 255];
};
const app: Shape = (x, y) => {
  const d = Math.hypot(x - 0.5, y - 0.5);
  if (d > 0.48) return null;
  if (d > 0.3 && d < 0.42) return [255, 255, 255, 255];
  if (d > 0.3) return [200, 40, 40, 255];
  return [25, 80, 160, 255];
};

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const out = path.resolve(import.meta.dirname, '../resources');
  fs.mkdirSync(path.join(out, 'tray'), { recursive: true });
  for (const [name, shape] of [['green', green], ['amber', amber], ['red', red]] as const) {
    fs.writeFileSync(path.join(out, 'tray', `tray-${name}.png`), encodePng(32, shape));
    fs.writeFileSync(path.join(out, 'tray', `tray-${name}@2x.png`), encodePng(64, shape));
  }
  fs.writeFileSync(path.join(out, 'icon.png'), encodePng(512, app));
  console.log(`icons written to ${out}`);
}
