/**
 * The EU DCC test vectors (dgc-testdata), one describe block per file and one
 * test per EXPECTEDRESULTS flag. Format: ../shared/testdata/dcc/UPSTREAM-README.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { TokenError } from './errors.ts';
import {
  dccBase45Decode,
  dccCheckExpiration,
  dccCheckKeyUsage,
  dccClaims,
  dccDecodeCose,
  dccHcertFromCbor,
  dccInflate,
  dccUnprefix,
  dccVerifySignature,
  parseInstant,
} from './dcc.ts';
import { readQrPng } from './testing/qr.ts';
import { dccVectorsDir } from './testing/vectors.ts';
import type { DccVector as Vector } from './testing/vectors.ts';

const vectorsDir = dccVectorsDir;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      return entry.isDirectory() ? walk(full) : entry.name.endsWith('.json') ? [full] : [];
    })
    .sort();
}

const files = existsSync(vectorsDir) ? walk(vectorsDir) : [];

/** known_issues.csv: test_name,country,test_set,reason — test_set empty means every file of the country. */
const KNOWN_ISSUE_FLAG: Record<string, string> = {
  test_cose_schema: 'EXPECTEDSCHEMAVALIDATION',
  test_cbor_json: 'EXPECTEDDECODE',
  test_cose_json: 'EXPECTEDVALIDJSON',
  test_verification_check: 'EXPECTEDVERIFY',
  test_expiration_check: 'EXPECTEDEXPIRATIONCHECK',
  test_expected_key_usage: 'EXPECTEDKEYUSAGE',
};
const knownIssues = existsSync(path.join(vectorsDir, 'known_issues.csv'))
  ? readFileSync(path.join(vectorsDir, 'known_issues.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => {
        const [testName = '', country = '', testSet = '', reason = ''] = line.split(',');
        return { flag: KNOWN_ISSUE_FLAG[testName] ?? testName, country, testSet, reason };
      })
  : [];

function knownIssue(file: string, flag: string): string | undefined {
  const rel = path.relative(vectorsDir, file).split(path.sep);
  const country = rel[0]!;
  const set = path.basename(file, '.json');
  return knownIssues.find((k) => k.flag === flag && k.country === country && (k.testSet === '' || k.testSet === set))?.reason;
}

const NOT_CHECKED: Record<string, string> = {
  EXPECTEDSCHEMAVALIDATION: 'not checked: validating DCC content against the eu-dcc JSON schema is not part of this verifier',
  EXPECTEDVALIDOBJECT: 'not checked: validating DCC content against the eu-dcc JSON schema is not part of this verifier',
  EXPECTEDENCODE: 'not checked: we never issue DCCs, so we have no DCC encoder to compare',
};

type Outcome = 'pass' | string;

/** Runs a step; a TokenError is a failed outcome, anything else is a bug and propagates. */
function outcome(fn: () => boolean | void): Outcome {
  try {
    const result = fn();
    return result === false ? 'mismatch' : 'pass';
  } catch (error) {
    if (error instanceof TokenError) return error.code;
    throw error;
  }
}

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** Deep equality of a decoded hcert and the vector's JSON; CBOR date-time tags (Date) match the same instant. */
function sameJson(actual: unknown, expected: unknown): boolean {
  if (actual instanceof Date) return typeof expected === 'string' && actual.getTime() === parseInstant(expected).getTime();
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => sameJson(actual[i], e));
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = Object.keys(e);
    return keys.length === Object.keys(a).length && keys.every((k) => Object.hasOwn(a, k) && sameJson(a[k], e[k]));
  }
  return Object.is(actual, expected);
}

function certificate(v: Vector): X509Certificate {
  return new X509Certificate(Buffer.from(v.TESTCTX!.CERTIFICATE!, 'base64'));
}

interface Check {
  /** Why this vector cannot be checked for the flag (missing input), or undefined. */
  missing(v: Vector): string | undefined;
  run(v: Vector): Outcome;
}

const needs =
  (...fields: (keyof Vector | 'CERTIFICATE' | 'VALIDATIONCLOCK')[]) =>
  (v: Vector): string | undefined => {
    const absent = fields.filter((f) =>
      f === 'CERTIFICATE' || f === 'VALIDATIONCLOCK' ? v.TESTCTX?.[f] === undefined : v[f as keyof Vector] === undefined,
    );
    return absent.length === 0 ? undefined : `not checkable: the vector has no ${absent.join(', ')}`;
  };

const CHECKS: Record<string, Check> = {
  EXPECTEDUNPREFIX: {
    missing: needs('PREFIX'),
    run: (v) => outcome(() => v.BASE45 === undefined || dccUnprefix(v.PREFIX!) === v.BASE45),
  },
  EXPECTEDB45DECODE: {
    missing: needs('BASE45'),
    run: (v) => {
      if (v.COMPRESSED !== undefined) return outcome(() => sameBytes(dccBase45Decode(v.BASE45!), bytes(v.COMPRESSED!)));
      if (v.COSE !== undefined) return outcome(() => sameBytes(dccInflate(dccBase45Decode(v.BASE45!)), bytes(v.COSE!)));
      return outcome(() => void dccBase45Decode(v.BASE45!));
    },
  },
  EXPECTEDCOMPRESSION: {
    missing: needs('COMPRESSED'),
    run: (v) => outcome(() => v.COSE === undefined || sameBytes(dccInflate(bytes(v.COMPRESSED!)), bytes(v.COSE!))),
  },
  EXPECTEDDECODE: {
    missing: (v) => (v.CBOR === undefined && v.COSE === undefined ? 'not checkable: the vector has neither CBOR nor COSE' : undefined),
    run: (v) =>
      outcome(() => {
        const fromCbor = v.CBOR === undefined ? undefined : dccHcertFromCbor(bytes(v.CBOR));
        const fromCose = v.COSE === undefined ? undefined : dccClaims(dccDecodeCose(bytes(v.COSE))).hcert;
        if (fromCbor !== undefined && v.JSON !== undefined && !sameJson(fromCbor, v.JSON)) return false;
        if (fromCose !== undefined && v.JSON !== undefined && !sameJson(fromCose, v.JSON)) return false;
        if (fromCbor !== undefined && fromCose !== undefined && !sameJson(fromCose, JSON.parse(JSON.stringify(fromCbor)))) return false;
        return true;
      }),
  },
  EXPECTEDVALIDJSON: {
    missing: needs('PREFIX', 'JSON'),
    run: (v) => outcome(() => sameJson(dccClaims(dccDecodeCose(dccInflate(dccBase45Decode(dccUnprefix(v.PREFIX!))))).hcert, v.JSON)),
  },
  EXPECTEDVERIFY: {
    missing: needs('COSE', 'CERTIFICATE'),
    run: (v) => outcome(() => void dccVerifySignature(dccDecodeCose(bytes(v.COSE!)), [certificate(v)])),
  },
  EXPECTEDEXPIRATIONCHECK: {
    missing: needs('COSE', 'VALIDATIONCLOCK'),
    run: (v) => outcome(() => dccCheckExpiration(dccClaims(dccDecodeCose(bytes(v.COSE!))), parseInstant(v.TESTCTX!.VALIDATIONCLOCK!))),
  },
  EXPECTEDKEYUSAGE: {
    missing: needs('COSE', 'CERTIFICATE'),
    run: (v) =>
      outcome(() => {
        const message = dccDecodeCose(bytes(v.COSE!));
        const cert = certificate(v);
        dccVerifySignature(message, [cert]);
        dccCheckKeyUsage(cert, dccClaims(message).hcert);
      }),
  },
  EXPECTEDPICTUREDECODE: {
    missing: needs('2DCODE', 'PREFIX'),
    run: (v) => {
      const text = readQrPng(Buffer.from(v['2DCODE']!, 'base64'));
      return text === v.PREFIX ? 'pass' : text === null ? 'unreadable' : 'mismatch';
    },
  },
};

test('the DCC test vectors are present', () => {
  expect(existsSync(vectorsDir), `expected the vectors at ${vectorsDir}`).toBe(true);
  expect(files.length).toBeGreaterThanOrEqual(100);
});

for (const file of files) {
  const rel = path.relative(vectorsDir, file);
  const vector = JSON.parse(readFileSync(file, 'utf8')) as Vector;
  describe(`${rel} — ${vector.TESTCTX?.DESCRIPTION ?? ''}`, () => {
    for (const [flag, expected] of Object.entries(vector.EXPECTEDRESULTS ?? {})) {
      const check = CHECKS[flag];
      if (check === undefined) {
        test.skip(`${flag}=${expected} — ${NOT_CHECKED[flag] ?? 'unknown flag'}`, () => {});
        continue;
      }
      const missing = check.missing(vector);
      if (missing !== undefined) {
        test.skip(`${flag}=${expected} — ${missing}`, () => {});
        continue;
      }
      const issue = knownIssue(file, flag);
      test(`${flag}=${expected}${issue === undefined ? '' : ` [known upstream issue ${issue}]`}`, (ctx) => {
        const result = check.run(vector);
        if ((result === 'pass') !== expected && issue !== undefined) ctx.skip(`known upstream issue ${issue}`);
        if (expected) expect(result, `${rel} ${flag}`).toBe('pass');
        else expect(result, `${rel} ${flag}`).not.toBe('pass');
      });
    }
  });
}
