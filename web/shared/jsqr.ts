// jsqr is a CommonJS bundle with an `__esModule` default export. Bundlers hand us the function;
// TypeScript (NodeNext) types the default import as the module object. Accept either.
// Import it only from code that is loaded when a camera starts: it is ~40 kB gzipped.
import jsqrModule from 'jsqr';

type JsQR = typeof jsqrModule.default;

export const jsQR: JsQR = (jsqrModule as unknown as { default?: JsQR }).default ?? (jsqrModule as unknown as JsQR);
