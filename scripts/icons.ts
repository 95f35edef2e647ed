/**
 * Draws the extension icon (a lens: a ring with a handle over a dotted underline) as PNG files at
 * the sizes the stores expect (16, 32, 48, 96, 128 px), with Node's zlib; no image tool needed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

/** Icon sizes in pixels: 16/32 toolbar, 48 extensions page, 96 Firefox's high-DPI 48, 128 Chrome Web Store and install. */
export const ICON_SIZES = [16, 32, 48, 96, 128] as const;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
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

/** Encodes RGBA pixels (`size × size × 4` bytes) as a PNG file. */
export function encodePng(size: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, rgba.byteOffset + y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Coverage (0..1) of the lens shape at a point in unit coordinates, sampled 4×4 per pixel by the caller. */
function inShape(x: number, y: number): boolean {
  const dx = x - 0.42;
  const dy = y - 0.4;
  const r = Math.hypot(dx, dy);
  if (r >= 0.22 && r <= 0.32) return true; // ring
  // handle: a thick segment from the ring towards the lower right
  const t = ((x - 0.62) + (y - 0.6)) / 2;
  const px = 0.62 + t;
  const py = 0.6 + t;
  if (t >= 0 && t <= 0.24 && Math.hypot(x - px, y - py) <= 0.07) return true;
  return false;
}

/** Draws the icon at one size. */
export function drawIcon(size: number): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  const samples = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let hit = 0;
      for (let sy = 0; sy < samples; sy++) for (let sx = 0; sx < samples; sx++) if (inShape((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size)) hit++;
      const i = (y * size + x) * 4;
      rgba[i] = 0x1d;
      rgba[i + 1] = 0x4e;
      rgba[i + 2] = 0xd8;
      rgba[i + 3] = Math.round((255 * hit) / (samples * samples));
    }
  }
  return encodePng(size, rgba);
}

/** Writes `icon-<size>.png` for every size into `dir`. */
export function writeIcons(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const size of ICON_SIZES) writeFileSync(join(dir, `icon-${size}.png`), drawIcon(size));
}
