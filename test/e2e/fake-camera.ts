// Writes a Y4M video showing one QR code, for Chromium's fake camera
// (--use-fake-device-for-media-stream --use-file-for-fake-video-capture=<file>).
import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

export function writeQrY4m(path: string, text: string, opts: { width?: number; height?: number; frames?: number } = {}): void {
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  const frames = opts.frames ?? 10;
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 4;
  const scale = Math.max(1, Math.floor(Math.min(width, height) / (n + 2 * quiet)));
  const side = (n + 2 * quiet) * scale;
  const x0 = Math.floor((width - side) / 2);
  const y0 = Math.floor((height - side) / 2);

  const luma = Buffer.alloc(width * height, 0x60); // mid-grey background around a white quiet zone
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - quiet;
      const my = Math.floor(y / scale) - quiet;
      const dark = mx >= 0 && my >= 0 && mx < n && my < n && qr.modules.get(my, mx) === 1;
      luma[(y0 + y) * width + (x0 + x)] = dark ? 16 : 235;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128); // U and V planes, neutral
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  const parts: Buffer[] = [header];
  for (let f = 0; f < frames; f++) parts.push(Buffer.from('FRAME\n'), luma, chroma);
  writeFileSync(path, Buffer.concat(parts));
}
