/** Reads the text of a QR code in a PNG (tests only). */
import jsqrModule from 'jsqr';
import { readPng } from './png.ts';

type JsQr = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
// jsqr is CommonJS: depending on the loader the default import is the function or { default: function }.
const loaded = jsqrModule as unknown as JsQr | { default: JsQr };
const jsQR: JsQr = typeof loaded === 'function' ? loaded : loaded.default;

/** The QR text, or null when the image is not a PNG or holds no readable QR code. */
export function readQrPng(png: Uint8Array): string | null {
  let image;
  try {
    image = readPng(png);
  } catch {
    return null;
  }
  return jsQR(image.data, image.width, image.height)?.data ?? null;
}
