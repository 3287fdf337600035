// Typed, frozen configuration read once from the environment (only main.ts and cli.ts call
// loadConfig). A bad value stops the start with the variable's name.
import os from 'node:os';
import path from 'node:path';

export interface Config {
  readonly port: number;
  readonly host: string;
  /** `sqlite:<file>` (default ./data/healthcode.db) or `postgres://…` */
  readonly databaseUrl: string;
  readonly dataDir: string;
  /** the region this deployment issues codes for (CWT iss) */
  readonly region: string;
  /** lifetime of a live phone code, minutes */
  readonly liveCodeMinutes: number;
  /** expiry of the published trust list, hours */
  readonly trustListHours: number;
  readonly sessionHours: number;
  readonly cookieSecure: boolean;
  /** IANA zone used for holders who do not give one */
  readonly defaultTimeZone: string;
  readonly logLevel: string;
  /** seed the demo city when the store is empty at start */
  readonly seedDemo: boolean;
  readonly publicUrl: string | null;
  /** seconds between scheduler ticks (due transitions, rule changes); 0 turns it off */
  readonly schedulerSeconds: number;
  /** a verified positive PCR confirms a case by itself */
  readonly autoConfirmCases: boolean;
  /** a confirmed case is traced at once */
  readonly autoTrace: boolean;
  /** where colour-change notifications are POSTed (besides the log); null for none */
  readonly webhookUrl: string | null;
  /** PostgreSQL connections per server instance */
  readonly dbPoolMax: number;
  // ---- due process and security (src/features/security, audit, appeals, overrides, retention)
  /** wrong passwords (or codes) for one account within the lock window before it locks */
  readonly loginMaxFailures: number;
  /** minutes an account stays locked (also the window failures are counted in) */
  readonly loginLockMinutes: number;
  /** hours an official has to decide an appeal */
  readonly appealDeadlineHours: number;
  /** largest evidence file, bytes */
  readonly evidenceMaxBytes: number;
  /** an alarm when one official proposes more overrides than this within an hour */
  readonly overrideAlarmPerHour: number;
  /** an alarm when this many overrides within 24 h target holders sharing a region or a venue */
  readonly overrideBatchAlarm: number;
  /** days kept: declarations, check-ins, issued codes, evidence after its appeal is decided */
  readonly retainDeclarationDays: number;
  readonly retainCheckInDays: number;
  readonly retainIssuedCodeDays: number;
  readonly retainEvidenceDays: number;
  /** days health records are held after they were recorded before a deletion request applies */
  readonly deletionHoldDays: number;
  /** requests per minute per caller for each route class; 0 turns a class's limit off */
  readonly ratePublicPerMinute: number;
  readonly rateHolderPerMinute: number;
  readonly rateStaffPerMinute: number;
  readonly rateCheckpointPerMinute: number;
  /** worker threads that verify scanned codes (0: on the main thread) */
  readonly verifyWorkers: number;
  /** how long a session, staff account, venue and venue operator look-up is remembered (0: never) */
  readonly authCacheMs: number;
  // ---- issue 9: paper codes, ID look-ups, venue compliance
  /** lifetime of a printed paper code, days */
  readonly paperCodeDays: number;
  /** expiry of the published revocation list, hours */
  readonly revocationListHours: number;
  /** ID look-ups one checkpoint operator may make per hour */
  readonly idLookupPerHour: number;
  /** refused look-ups by one operator within an hour that raise an alarm */
  readonly idLookupBurstAlarm: number;
  /** a venue scanning less than this percentage of its expected footfall on a day is flagged */
  readonly complianceMinPercent: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, dflt: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `expected a whole number, got ${JSON.stringify(raw)}`);
  const n = Number(raw);
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function bool(env: Env, name: string, dflt: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `expected true or false, got ${JSON.stringify(raw)}`);
}

function timeZone(env: Env, name: string, dflt: string): string {
  const tz = env[name] || dflt;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new ConfigError(name, `unknown time zone ${JSON.stringify(tz)}`);
  }
  return tz;
}

function url(env: Env, name: string): string | null {
  const v = env[name];
  if (v === undefined || v === '') return null;
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http');
    return u.toString();
  } catch {
    throw new ConfigError(name, `expected an http(s) URL, got ${JSON.stringify(v)}`);
  }
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const dataDir = path.resolve(cwd, env.HEALTHCODE_DATA_DIR || 'data');
  const databaseUrl = env.HEALTHCODE_DATABASE_URL || `sqlite:${path.join(dataDir, 'healthcode.db')}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    throw new ConfigError('HEALTHCODE_DATABASE_URL', `must start with sqlite: or postgres://, got ${JSON.stringify(databaseUrl)}`);
  }
  const region = env.HEALTHCODE_REGION || 'CN-LX';
  if (!/^[A-Z]{2}(-[A-Z0-9]{1,8}){0,3}$/.test(region)) {
    throw new ConfigError('HEALTHCODE_REGION', `expected a region code like CN-LX, got ${JSON.stringify(region)}`);
  }
  const logLevel = env.HEALTHCODE_LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('HEALTHCODE_LOG_LEVEL', `unknown level ${JSON.stringify(logLevel)}`);
  }
  const publicUrl = env.HEALTHCODE_PUBLIC_URL || null;
  if (publicUrl !== null && !/^https?:\/\//.test(publicUrl)) {
    throw new ConfigError('HEALTHCODE_PUBLIC_URL', `expected an http(s) URL, got ${JSON.stringify(publicUrl)}`);
  }
  return Object.freeze({
    port: int(env, 'PORT', 8080, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    dataDir,
    region,
    liveCodeMinutes: int(env, 'HEALTHCODE_LIVE_CODE_MINUTES', 5, 1, 60),
    trustListHours: int(env, 'HEALTHCODE_TRUST_LIST_HOURS', 48, 1, 24 * 30),
    sessionHours: int(env, 'HEALTHCODE_SESSION_HOURS', 12, 1, 24 * 30),
    cookieSecure: bool(env, 'HEALTHCODE_COOKIE_SECURE', false),
    defaultTimeZone: timeZone(env, 'HEALTHCODE_TIME_ZONE', 'Asia/Shanghai'),
    logLevel,
    seedDemo: bool(env, 'HEALTHCODE_SEED_DEMO', true),
    publicUrl,
    schedulerSeconds: int(env, 'HEALTHCODE_SCHEDULER_SECONDS', 60, 0, 86_400),
    autoConfirmCases: bool(env, 'HEALTHCODE_AUTO_CONFIRM_CASES', true),
    autoTrace: bool(env, 'HEALTHCODE_AUTO_TRACE', true),
    webhookUrl: url(env, 'HEALTHCODE_WEBHOOK_URL'),
    dbPoolMax: int(env, 'HEALTHCODE_DB_POOL_MAX', 10, 1, 1000),
    loginMaxFailures: int(env, 'HEALTHCODE_LOGIN_MAX_FAILURES', 5, 1, 100),
    loginLockMinutes: int(env, 'HEALTHCODE_LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
    appealDeadlineHours: int(env, 'HEALTHCODE_APPEAL_DEADLINE_HOURS', 48, 1, 24 * 30),
    evidenceMaxBytes: int(env, 'HEALTHCODE_EVIDENCE_MAX_KB', 2048, 1, 10 * 1024) * 1024,
    overrideAlarmPerHour: int(env, 'HEALTHCODE_OVERRIDE_ALARM_PER_HOUR', 5, 1, 10_000),
    overrideBatchAlarm: int(env, 'HEALTHCODE_OVERRIDE_BATCH_ALARM', 3, 2, 10_000),
    retainDeclarationDays: int(env, 'HEALTHCODE_RETAIN_DECLARATION_DAYS', 60, 30, 3650),
    retainCheckInDays: int(env, 'HEALTHCODE_RETAIN_CHECK_IN_DAYS', 60, 30, 3650),
    retainIssuedCodeDays: int(env, 'HEALTHCODE_RETAIN_ISSUED_CODE_DAYS', 21, 1, 3650),
    retainEvidenceDays: int(env, 'HEALTHCODE_RETAIN_EVIDENCE_DAYS', 30, 1, 3650),
    deletionHoldDays: int(env, 'HEALTHCODE_DELETION_HOLD_DAYS', 30, 0, 3650),
    ratePublicPerMinute: int(env, 'HEALTHCODE_RATE_PUBLIC_PER_MINUTE', 600, 0, 1_000_000),
    rateHolderPerMinute: int(env, 'HEALTHCODE_RATE_HOLDER_PER_MINUTE', 300, 0, 1_000_000),
    rateStaffPerMinute: int(env, 'HEALTHCODE_RATE_STAFF_PER_MINUTE', 600, 0, 1_000_000),
    rateCheckpointPerMinute: int(env, 'HEALTHCODE_RATE_CHECKPOINT_PER_MINUTE', 12_000, 0, 100_000_000),
    // one core serves HTTP and the store; the others verify (at least one worker, at most 8)
    verifyWorkers: int(env, 'HEALTHCODE_VERIFY_WORKERS', Math.min(8, Math.max(1, os.availableParallelism() - 1)), 0, 64),
    authCacheMs: int(env, 'HEALTHCODE_AUTH_CACHE_MS', 2000, 0, 60_000),
    paperCodeDays: int(env, 'HEALTHCODE_PAPER_CODE_DAYS', 7, 1, 60),
    revocationListHours: int(env, 'HEALTHCODE_REVOCATION_LIST_HOURS', 24, 1, 24 * 7),
    idLookupPerHour: int(env, 'HEALTHCODE_ID_LOOKUP_PER_HOUR', 30, 1, 100_000),
    idLookupBurstAlarm: int(env, 'HEALTHCODE_ID_LOOKUP_BURST_ALARM', 3, 1, 10_000),
    complianceMinPercent: int(env, 'HEALTHCODE_COMPLIANCE_MIN_PERCENT', 30, 1, 100),
  });
}
