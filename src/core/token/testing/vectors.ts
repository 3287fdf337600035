/** Where the EU DCC test vectors live: ../shared/testdata/dcc beside the repository (tests only). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const dccVectorsDir = path.resolve(repoRoot, '..', 'shared', 'testdata', 'dcc');

export interface DccVector {
  JSON?: unknown;
  CBOR?: string;
  COSE?: string;
  COMPRESSED?: string;
  BASE45?: string;
  PREFIX?: string;
  '2DCODE'?: string;
  TESTCTX?: { CERTIFICATE?: string; VALIDATIONCLOCK?: string; DESCRIPTION?: string };
  EXPECTEDRESULTS?: Record<string, boolean>;
}

export function readDccVector(relativePath: string): DccVector {
  return JSON.parse(readFileSync(path.join(dccVectorsDir, relativePath), 'utf8')) as DccVector;
}
