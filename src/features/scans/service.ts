// Checkpoint scans: verify the code (the server checks it too), store the scan once per
// client event id, answer the verdict. A scan of an invalid code is stored as well: the
// attempt is part of the movement record and of the venue's compliance counts.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { FormatRegistry } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ScanBody, type BatchScanEventResult, type BatchScanResult, type ScanResult, type Verdict } from '../../contracts/api.ts';
import type { HealthCodeClaims } from '../../core/token/index.ts';
import type { Database, ScanTable, VenueTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import type { KeyRing } from '../keys/service.ts';
import type { Staff } from '../staff/service.ts';
import { findVenue, isStaffOfVenue } from '../venues/repository.ts';
import type { AuditFor, AuditForBatch, ScanWriter, WriteOutcome } from './writer.ts';
import { decodeOne, inlineVerifier, type CodeVerifier, type DecodeResult } from './verifier.ts';
import type { LookupCache } from '../auth/lookup-cache.ts';
import type { Actor, AuditInput } from '../audit/service.ts';
import type { Random } from '../../support/clock.ts';
import { currentAssessment } from '../assessments/service.ts';
import { getHolder } from '../holders/service.ts';
import type { RuleBook } from '../rules/book.ts';
import { revocationsOf, type Revocation } from '../revocations/service.ts';
import { perTurn } from '../../support/per-turn.ts';

/** A checkpoint clock may run a little fast; a scan further in the future is refused. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** Scans older than the retention period would be purged at once; they are refused. */
export const RETENTION_DAYS = 21;

function minuteUtc(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The warning a paper code's token colour carries: it may be days old. */
export function paperColourWarning(issuedAt: Date): string {
  return `paper code — colour as of ${minuteUtc(issuedAt)}`;
}

/**
 * The verdict from the code alone (what an offline checkpoint can know). A paper code has low
 * assurance and its colour is the one it was printed with, with a warning saying as of when.
 */
export function verdictFrom(r: DecodeResult): { verdict: Verdict; claims: HealthCodeClaims | null } {
  if (r.ok) {
    const c = r.claims;
    const paper = c.kind === 'paper';
    return {
      claims: c,
      verdict: {
        ok: true,
        pass: c.colour === 'green',
        error: null,
        colour: c.colour,
        maskedName: c.maskedName,
        birthYear: c.birthYear,
        validUntil: c.validUntil.toISOString(),
        region: c.region,
        rulesetVersion: c.rulesetVersion,
        kind: c.kind,
        assurance: paper ? 'low' : 'standard',
        colourSource: 'token',
        colourAsOf: c.issuedAt.toISOString(),
        message: paper ? paperColourWarning(c.issuedAt) : null,
      },
    };
  }
  return {
    claims: null,
    verdict: {
      ok: false,
      pass: false,
      error: r.code,
      colour: null,
      maskedName: null,
      birthYear: null,
      validUntil: null,
      region: null,
      rulesetVersion: null,
      kind: null,
      assurance: null,
      colourSource: null,
      colourAsOf: null,
      message: r.message,
    },
  };
}

/** The same, decoding the code on this thread. */
export function verdictFor(text: string, keys: KeyRing, at: Date): { verdict: Verdict; claims: HealthCodeClaims | null } {
  return verdictFrom(decodeOne(text, keys.trust, at));
}

interface OnlineItem {
  verdict: Verdict;
  claims: HealthCodeClaims | null;
  holderId: string | null;
  /** the moment the code is judged at (the scan time for offline scans) */
  at: Date;
  /** an offline checkpoint's scan: it saw the token colour, which the stored verdict keeps */
  offline: boolean;
}

/**
 * What the server knows beyond the code: a revoked code is refused with its reason (when it was
 * revoked before the moment judged), and a paper code scanned online shows the holder's colour now.
 * Returns the verdicts to use, in order.
 */
export async function judgeOnline(db: Kysely<Database>, items: readonly OnlineItem[], ctx: ScanContext): Promise<Verdict[]> {
  const genuine = items.filter((i) => i.claims);
  const codeIds = genuine.map((i) => i.claims!.codeId);
  const revoked = genuine.length ? await (ctx.reads ? ctx.reads.revocationsOf(codeIds) : revocationsOf(db, codeIds)) : new Map<string, Revocation>();
  const out: Verdict[] = [];
  for (const item of items) {
    const c = item.claims;
    if (!c) {
      out.push(item.verdict);
      continue;
    }
    const r = revoked.get(c.codeId);
    if (r && r.revokedAt.getTime() <= item.at.getTime()) {
      out.push({
        ...item.verdict,
        ok: false,
        pass: false,
        error: 'revoked',
        colour: null,
        colourSource: null,
        colourAsOf: null,
        message: `this ${c.kind} code was revoked on ${minuteUtc(r.revokedAt)} (${r.reason}); ask for the current code`,
        revocation: { at: r.revokedAt.toISOString(), reason: r.reason },
      });
      continue;
    }
    if (c.kind === 'paper' && !item.offline && item.holderId && ctx.rules && ctx.random) {
      const holder = await getHolder(db, item.holderId).catch(() => null);
      if (holder) {
        const now = await currentAssessment(db, holder, { rules: ctx.rules, now: ctx.now, random: ctx.random });
        const changed = now.colour !== c.colour;
        out.push({
          ...item.verdict,
          colour: now.colour,
          pass: now.colour === 'green',
          colourSource: 'current',
          colourAsOf: ctx.now.toISOString(),
          message: changed ? `paper code — the colour has changed since it was printed (${c.colour} on ${minuteUtc(c.issuedAt)}); showing the current colour` : null,
        });
        continue;
      }
    }
    out.push(item.verdict);
  }
  return out;
}

/** The verdict of a checkpoint online: the code, then the revocation list and the current colour of a paper code. */
export async function verdictOnline(db: Kysely<Database>, text: string, ctx: ScanContext): Promise<Verdict> {
  const { verdict, claims } = verdictFor(text, ctx.keys, ctx.now);
  const issued = claims ? await db.selectFrom('issued_codes').select('holder_id').where('code_id', '=', claims.codeId).executeTakeFirst() : undefined;
  const [v] = await judgeOnline(db, [{ verdict, claims, holderId: issued?.holder_id ?? null, at: ctx.now, offline: false }], ctx);
  return v!;
}

function fingerprint(body: ScanBody, scannedAt: number): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([body.venueId, body.code, scannedAt, body.mode, body.direction ?? null, body.temperatureC ?? null]))
    .digest('hex');
}

/** A scan must fall between the retention horizon and a little into the future (the bulk loader checks the same). */
export function checkScanTime(scannedAt: number, now: Date): void {
  if (scannedAt > now.getTime() + MAX_FUTURE_SKEW_MS) {
    throw new DomainError('invalid_date', `scannedAt ${new Date(scannedAt).toISOString()} is in the future (server time ${now.toISOString()}); check the checkpoint's clock`);
  }
  if (scannedAt < now.getTime() - RETENTION_DAYS * 86_400_000) {
    throw new DomainError('invalid_date', `scannedAt ${new Date(scannedAt).toISOString()} is older than the ${RETENTION_DAYS}-day retention period`);
  }
}

export interface ScanContext {
  now: Date;
  keys: KeyRing;
  /** verifies codes (a worker pool in the server); without it, on this thread with `keys` */
  verifier?: CodeVerifier;
  /** remembers venues and who operates them for a moment (the server's); without it, read each time */
  lookups?: LookupCache;
  /** the holder and revocation reads, made once per event-loop turn for all its scans (the server's) */
  reads?: ScanReads;
  /** with both, a paper code scanned online shows the holder's current colour */
  rules?: RuleBook;
  random?: Random;
}

/** Per-request memo of venue look-ups (a batch names few venues many times). */
interface VenueMemo {
  venue: Map<string, VenueTable | null>;
  operates: Map<string, boolean>;
}

function newMemo(): VenueMemo {
  return { venue: new Map(), operates: new Map() };
}

interface PreparedScan {
  row: ScanTable;
  claims: HealthCodeClaims | null;
}

/** A scan that passed its checks, waiting for its code's verification. */
interface CheckedScan {
  body: ScanBody;
  venueId: string;
  scannedAt: number;
  /** the moment the code is judged at */
  at: Date;
}

/** Checks one scan (time, venue, operator); bad input throws a DomainError and changes nothing. */
async function checkScan(db: Kysely<Database>, operator: Staff, body: ScanBody, ctx: ScanContext, memo: VenueMemo): Promise<CheckedScan> {
  const scannedAt = Date.parse(body.scannedAt);
  if (Number.isNaN(scannedAt)) throw new DomainError('invalid_date', `scannedAt ${JSON.stringify(body.scannedAt)} is not a date-time`);
  checkScanTime(scannedAt, ctx.now);
  let venue = memo.venue.get(body.venueId);
  if (venue === undefined) {
    // only venues that exist are remembered: a venue registered a moment ago is found
    venue = ctx.lookups?.venues.get(body.venueId) ?? (await findVenue(db, body.venueId)) ?? null;
    if (venue) ctx.lookups?.venues.set(venue.id, venue);
    memo.venue.set(body.venueId, venue);
  }
  if (!venue) throw new DomainError('unknown_venue', `no venue or checkpoint has id ${JSON.stringify(body.venueId)}`);
  let operates = memo.operates.get(venue.id);
  if (operates === undefined) {
    // and only a yes: an operator just given this venue may scan at once
    const key = `${operator.id}:${venue.id}`;
    operates = ctx.lookups?.operates.get(key) ?? (await isStaffOfVenue(db, operator.id, venue.id));
    if (operates) ctx.lookups?.operates.set(key, true);
    memo.operates.set(venue.id, operates);
  }
  if (!operates) throw new DomainError('forbidden', `account ${operator.username} does not operate venue ${venue.id}`);
  // An offline checkpoint verified the code when it scanned it; judge it at that moment.
  const at = body.mode === 'offline_sync' ? new Date(scannedAt) : ctx.now;
  return { body, venueId: venue.id, scannedAt, at };
}

/** Verifies the checked scans' codes (one call: the pool spreads them over its workers) and builds their rows. */
async function prepareScans(operator: Staff, checked: readonly CheckedScan[], ctx: ScanContext): Promise<PreparedScan[]> {
  const verifier = ctx.verifier ?? inlineVerifier(ctx.keys.trust);
  const decoded = await verifier.decode(checked.map((c) => ({ text: c.body.code, at: c.at })));
  return checked.map((c, i) => {
    const { verdict, claims } = verdictFrom(decoded[i]!);
    const { body, scannedAt } = c;
    const row: ScanTable = {
      event_id: body.eventId.toLowerCase(),
      venue_id: c.venueId,
      operator_id: operator.id,
      holder_id: null,
      code_id: claims?.codeId ?? null,
      scanned_at: scannedAt,
      received_at: ctx.now.getTime(),
      mode: body.mode,
      direction: body.direction ?? null,
      temperature_c: body.temperatureC ?? null,
      verdict_ok: verdict.ok ? 1 : 0,
      verdict_error: verdict.error,
      verdict_colour: verdict.colour,
      verdict: JSON.stringify(verdict),
      fingerprint: fingerprint(body, scannedAt),
    };
    return { row, claims };
  });
}

/** The holder each issued code belongs to (one query per 1000 codes). */
export async function holdersOfCodes(db: Kysely<Database>, codeIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(codeIds)];
  const holderOf = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db.selectFrom('issued_codes').select(['code_id', 'holder_id']).where('code_id', 'in', ids.slice(i, i + 1000)).execute();
    for (const r of rows) holderOf.set(r.code_id, r.holder_id);
  }
  return holderOf;
}

/** The reads every scan makes; the server's make them once per event-loop turn (src/support/per-turn.ts). */
export interface ScanReads {
  holdersOfCodes(codeIds: readonly string[]): Promise<Map<string, string>>;
  revocationsOf(codeIds: readonly string[]): Promise<Map<string, Revocation>>;
}

export function scanReadsPerTurn(db: Kysely<Database>): ScanReads {
  return { holdersOfCodes: perTurn((ids) => holdersOfCodes(db, ids)), revocationsOf: perTurn((ids) => revocationsOf(db, ids)) };
}

/** Fills holder_id from issued_codes for the scans of genuine codes. */
async function resolveHolders(db: Kysely<Database>, prepared: PreparedScan[], ctx: ScanContext): Promise<void> {
  const codeIds = prepared.flatMap((p) => (p.claims ? [p.claims.codeId] : []));
  const holderOf = await (ctx.reads ? ctx.reads.holdersOfCodes(codeIds) : holdersOfCodes(db, codeIds));
  for (const p of prepared) if (p.claims) p.row.holder_id = holderOf.get(p.claims.codeId) ?? null;
}

/** Applies the revocation list and paper codes' current colour to prepared scans (after resolveHolders). */
async function applyOnline(db: Kysely<Database>, prepared: PreparedScan[], ctx: ScanContext): Promise<void> {
  const verdicts = await judgeOnline(
    db,
    prepared.map((p) => ({
      verdict: JSON.parse(p.row.verdict) as Verdict,
      claims: p.claims,
      holderId: p.row.holder_id,
      at: new Date(p.row.mode === 'offline_sync' ? p.row.scanned_at : ctx.now.getTime()),
      offline: p.row.mode === 'offline_sync',
    })),
    ctx,
  );
  prepared.forEach((p, i) => {
    const v = verdicts[i]!;
    p.row.verdict_ok = v.ok ? 1 : 0;
    p.row.verdict_error = v.error;
    p.row.verdict_colour = v.colour;
    p.row.verdict = JSON.stringify(v);
  });
}

/** The answer for a written scan; the same id with other content is event_id_reused. */
function answer(row: ScanTable, outcome: WriteOutcome): ScanResult {
  if (outcome.status === 'purged') {
    throw new DomainError('event_id_reused', `event id ${row.event_id} was used for a scan that has since been purged by retention`);
  }
  if (outcome.status === 'duplicate' && outcome.row.fingerprint !== row.fingerprint) {
    throw new DomainError('event_id_reused', `event id ${row.event_id} was already used for a different scan`);
  }
  return {
    eventId: outcome.row.event_id,
    status: outcome.status,
    storedAt: new Date(outcome.row.received_at).toISOString(),
    verdict: JSON.parse(outcome.row.verdict) as Verdict,
  };
}

/** Who recorded scans and under which action name: the audit entry written with them. */
export interface ScanAudit {
  actor: Actor;
  action: string;
}

/** What became of a written scan, for its audit entry. */
function outcomeOf(row: ScanTable, o: WriteOutcome): 'stored' | 'duplicate' | 'event_id_reused' {
  if (o.status === 'purged' || (o.status === 'duplicate' && o.row.fingerprint !== row.fingerprint)) return 'event_id_reused';
  return o.status;
}

export async function recordScan(db: Kysely<Database>, writer: ScanWriter, operator: Staff, body: ScanBody, ctx: ScanContext, audit?: ScanAudit): Promise<ScanResult> {
  const [prepared] = await prepareScans(operator, [await checkScan(db, operator, body, ctx, newMemo())], ctx);
  if (!prepared) throw new Error('unreachable: one scan checked, none prepared');
  await resolveHolders(db, [prepared], ctx);
  await applyOnline(db, [prepared], ctx);
  const row = prepared.row;
  // the operator and the venue, never the holder (the scan row itself links the holder)
  const auditFor: AuditFor | undefined = audit
    ? (o): AuditInput => ({ at: ctx.now, actor: audit.actor, action: audit.action, subject: { kind: 'venue', id: row.venue_id }, detail: { eventId: row.event_id, outcome: outcomeOf(row, o) } })
    : undefined;
  return answer(row, await writer.write(row, auditFor));
}

// Batch events are checked one by one against the single-scan schema (TypeBox's compiler;
// the uuid format as Fastify's ajv-formats defines it).
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', (v) => /^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(v));
const scanBodyCheck = TypeCompiler.Compile(ScanBody);

function schemaError(event: unknown): DomainError {
  const first = scanBodyCheck.Errors(event).First();
  const where = first?.path ? `${first.path}: ` : '';
  return new DomainError('invalid_request', `${where}${first?.message ?? 'not a scan event'}`);
}

/** Events checked between two yields to the event loop, so a 10,000-event batch does not stall single scans. */
const CHECK_SLICE = 250;

/**
 * A checkpoint's offline queue: every event is validated as a single scan would be and
 * answered on its own (stored / duplicate / rejected with the error a single scan would get).
 * The valid ones are written in one transaction: a store failure rejects the whole request
 * (503) and stores none of it, so a retry of the same batch is always safe.
 */
export async function recordScanBatch(db: Kysely<Database>, writer: ScanWriter, operator: Staff, events: unknown[], ctx: ScanContext, audit?: ScanAudit): Promise<BatchScanResult> {
  const memo = newMemo();
  const results: BatchScanEventResult[] = new Array(events.length);
  const checked: { index: number; c: CheckedScan }[] = [];
  const reject = (index: number, eventId: string | null, e: DomainError) => {
    results[index] = { index, eventId, status: 'rejected', storedAt: null, verdict: null, error: { code: e.code, message: e.message } };
  };
  for (let i = 0; i < events.length; i++) {
    if (i > 0 && i % CHECK_SLICE === 0) await new Promise((r) => setImmediate(r));
    const event = events[i];
    const rawId = (event as { eventId?: unknown } | null)?.eventId;
    const eventId = typeof rawId === 'string' ? rawId.toLowerCase() : null;
    if (!scanBodyCheck.Check(event)) {
      reject(i, eventId, schemaError(event));
      continue;
    }
    try {
      checked.push({ index: i, c: await checkScan(db, operator, event, ctx, memo) });
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      reject(i, eventId, e);
    }
  }
  const rows = await prepareScans(operator, checked.map((x) => x.c), ctx);
  const prepared = checked.map((x, k) => ({ index: x.index, p: rows[k]! }));
  await resolveHolders(db, prepared.map((x) => x.p), ctx);
  await applyOnline(db, prepared.map((x) => x.p), ctx);
  const invalid = events.length - prepared.length;
  const auditFor: AuditForBatch | undefined = audit
    ? (outs) => {
        const n = { stored: 0, duplicate: 0, event_id_reused: 0 };
        outs.forEach((o, k) => n[outcomeOf(prepared[k]!.p.row, o)]++);
        const venues = [...new Set(prepared.map((x) => x.p.row.venue_id))].sort();
        return [{ at: ctx.now, actor: audit.actor, action: audit.action, subject: null, detail: { events: events.length, ...n, rejected: invalid + n.event_id_reused, venues } }];
      }
    : undefined;
  const outcomes = prepared.length ? await writer.writeBatch(prepared.map((x) => x.p.row), auditFor) : [];
  prepared.forEach(({ index, p }, k) => {
    try {
      const r = answer(p.row, outcomes[k]!);
      results[index] = { index, eventId: r.eventId, status: r.status, storedAt: r.storedAt, verdict: r.verdict, error: null };
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      reject(index, p.row.event_id, e);
    }
  });
  const count = (s: BatchScanEventResult['status']) => results.filter((r) => r.status === s).length;
  return { stored: count('stored'), duplicate: count('duplicate'), rejected: count('rejected'), results };
}
