import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

/**
 * Draws the Teams app icons (color 192×192, outline 32×32) and writes them as PNG files.
 * Run once after changing the design: `npx tsc -p . && node dist/scripts/generate-teams-icons.js`.
 * A tiny PNG encoder (RGBA, no filtering) keeps this free of image libraries.
 */

type Rgba = [number, number, number, number];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) Buffer.from(pixel(x, y)).copy(raw, row + 1 + x * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// The mark: a bold "M" drawn as a thick polyline, in unit coordinates (0..1).
const M_POINTS: [number, number][] = [
  [0.27, 0.72],
  [0.27, 0.3],
  [0.5, 0.56],
  [0.73, 0.3],
  [0.73, 0.72],
];

function distanceToSegment(px: number, py: number, [ax, ay]: [number, number], [bx, by]: [number, number]): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function onMark(u: number, v: number, halfWidth: number): boolean {
  for (let i = 0; i < M_POINTS.length - 1; i++) {
    if (distanceToSegment(u, v, M_POINTS[i]!, M_POINTS[i + 1]!) <= halfWidth) return true;
  }
  return false;
}

/** Fraction of a pixel covered by a shape, from 4×4 samples: smooth edges without a rasteriser. */
function coverage(x: number, y: number, size: number, inside: (u: number, v: number) => boolean): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) if (inside((x + (sx + 0.5) / 4) / size, (y + (sy + 0.5) / 4) / size)) hits++;
  }
  return hits / 16;
}

const ACCENT: [number, number, number] = [0x5b, 0x5f, 0xc7];

function colorIcon(size: number): Buffer {
  return encodePng(size, size, (x, y) => {
    const mark = coverage(x, y, size, (u, v) => onMark(u, v, 0.055));
    const mix = (c: number) => Math.round(c * (1 - mark) + 255 * mark);
    return [mix(ACCENT[0]), mix(ACCENT[1]), mix(ACCENT[2]), 255];
  });
}

function outlineIcon(size: number): Buffer {
  // Teams wants white on transparent for the outline icon.
  return encodePng(size, size, (x, y) => [255, 255, 255, Math.round(255 * coverage(x, y, size, (u, v) => onMark(u, v, 0.07)))]);
}

if (require.main === module) {
  const dir = process.argv[2] ?? join(__dirname, '..', '..', 'manifest', 'teams');
  writeFileSync(join(dir, 'color.png'), colorIcon(192));
  writeFileSync(join(dir, 'outline.png'), outlineIcon(32));
  process.stdout.write(`wrote color.png (192×192) and outline.png (32×32) to ${dir}\n`);
}
