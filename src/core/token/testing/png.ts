/**
 * A minimal PNG reader for tests (QR images in the DCC vectors): non-interlaced
 * greyscale (1/2/4/8-bit), RGB, RGBA, grey+alpha and palette images, 8-bit
 * channels. Returns RGBA pixels as jsQR expects. Not for untrusted production input.
 */
import { inflateSync } from 'node:zlib';

export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function readPng(file: Uint8Array): RgbaImage {
  const buf = Buffer.from(file);
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let bitDepth = 0;
  let colourType = 0;
  let palette: Buffer | undefined;
  const idat: Buffer[] = [];
  while (offset + 8 <= buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('ascii', offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    offset += 12 + length;
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      bitDepth = data[8]!;
      colourType = data[9]!;
      if (data[12] !== 0) throw new Error('interlaced PNGs are not supported');
    } else if (type === 'PLTE') palette = data;
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
  }
  const channels = CHANNELS[colourType];
  if (channels === undefined || (bitDepth !== 8 && channels !== 1)) throw new Error('unsupported PNG format');
  const bitsPerPixel = bitDepth * channels;
  const bytesPerPixel = Math.max(1, bitsPerPixel >> 3);
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const raw = inflateSync(Buffer.concat(idat));
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : undefined;
    for (let x = 0; x < stride; x++) {
      const a = x >= bytesPerPixel ? out[x - bytesPerPixel]! : 0;
      const b = prev ? prev[x]! : 0;
      const c = prev && x >= bytesPerPixel ? prev[x - bytesPerPixel]! : 0;
      const v = line[x]!;
      const predictor = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : paeth(a, b, c);
      out[x] = (v + predictor) & 0xff;
    }
  }
  const rgba = new Uint8ClampedArray(width * height * 4);
  const max = (1 << bitDepth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      let r: number;
      let g: number;
      let b: number;
      let alpha = 255;
      if (channels === 1) {
        const bit = x * bitDepth;
        const byte = pixels[y * stride + (bit >> 3)]!;
        const value = bitDepth === 8 ? byte : (byte >> (8 - bitDepth - (bit & 7))) & max;
        if (colourType === 3) {
          r = palette?.[value * 3] ?? 0;
          g = palette?.[value * 3 + 1] ?? 0;
          b = palette?.[value * 3 + 2] ?? 0;
        } else {
          r = g = b = Math.round((value * 255) / max);
        }
      } else {
        const p = y * stride + x * channels;
        if (channels === 2) {
          r = g = b = pixels[p]!;
          alpha = pixels[p + 1]!;
        } else {
          r = pixels[p]!;
          g = pixels[p + 1]!;
          b = pixels[p + 2]!;
          if (channels === 4) alpha = pixels[p + 3]!;
        }
      }
      rgba[o] = r;
      rgba[o + 1] = g;
      rgba[o + 2] = b;
      rgba[o + 3] = alpha;
    }
  }
  return { width, height, data: rgba };
}
