// An app over a fresh store with a controlled clock and fixed keys, plus the few rows every
// test needs (regions, one venue, a checkpoint operator). Factories take overrides.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { RegisterBody } from '../../src/contracts/api.ts';
import { generateSigningKey, type SigningKey } from '../../src/core/token/index.ts';
import type { Dialect } from '../../src/db/connect.ts';
import type { AppDeps } from '../../src/deps.ts';
import { hashPassword } from '../../src/features/auth/passwords.ts';
import { DEMO_REGIONS } from '../../src/features/demo/city.ts';
import { keyRingFrom } from '../../src/features/keys/service.ts';
import { loadRuleBook } from '../../src/features/rules/book.ts';
import { insertStaff } from '../../src/features/staff/repository.ts';
import { ManualClock, cryptoRandom } from '../../src/support/clock.ts';
import { createTestStore, T0, type TestStore } from './db.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export { T0 };
export const OPERATOR = { username: 'checkpoint1', password: 'demo-password' } as const;
export const VENUE_ID = 'V0001';
export const OTHER_VENUE_ID = 'V0002';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

let operatorHash: Promise<string> | undefined;
const signingKey: SigningKey = generateSigningKey();

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  clock: ManualClock;
  key: SigningKey;
  testStore: TestStore;
  close(): Promise<void>;
}

export interface TestAppOptions {
  dialect?: Dialect;
  now?: string;
  config?: Partial<Config>;
  webRoot?: string | null;
  /** a store made by the test (e.g. a SQLite file with its own options) instead of a fresh one */
  testStore?: TestStore;
}

export async function makeTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const testStore = opts.testStore ?? (await createTestStore(opts.dialect ?? 'sqlite'));
  const { db } = testStore.store;
  const clock = new ManualClock(opts.now ?? T0);
  // codes are verified on the test's own thread, and every look-up reads the store, unless a test
  // asks for the worker pool and the look-up cache (SCAN_VARIANTS)
  const config: Config = Object.freeze({ ...loadConfig({ HEALTHCODE_DATA_DIR: '/nonexistent' }), verifyWorkers: 0, authCacheMs: 0, ...opts.config });
  const deps: AppDeps = {
    config,
    store: testStore.store,
    clock,
    random: cryptoRandom,
    keys: keyRingFrom(signingKey, config.region),
    idHashKey: Buffer.alloc(32, 7),
    rules: await loadRuleBook(db, clock.now()),
    logger: false,
    webRoot: opts.webRoot ?? null,
  };
  await db.insertInto('regions').values([...DEMO_REGIONS]).execute();
  const now = clock.now().getTime();
  await db
    .insertInto('venues')
    .values([
      { id: VENUE_ID, name: 'Wanbo Plaza', kind: 'mall', region: 'CN-LX-01', address: '1 Old Town Road', created_at: now },
      { id: OTHER_VENUE_ID, name: 'RT-Mart Old Town', kind: 'supermarket', region: 'CN-LX-01', address: '2 Old Town Road', created_at: now },
    ])
    .execute();
  operatorHash ??= hashPassword(OPERATOR.password);
  await insertStaff(
    db,
    { id: 'staff-op-1', username: OPERATOR.username, display_name: 'Checkpoint 1', role: 'checkpoint_operator', password_hash: await operatorHash, created_at: now },
    [VENUE_ID],
  );
  const app = await buildApp(deps);
  return {
    app,
    deps,
    clock,
    key: signingKey,
    testStore,
    async close() {
      await app.close();
      await testStore.drop();
    },
  };
}

/** The app listening on 127.0.0.1 with an ephemeral port, serving the built web apps. */
export async function startTestApp(opts: TestAppOptions = {}): Promise<TestApp & { url: string; venueId: string }> {
  const t = await makeTestApp({ webRoot: path.join(REPO_ROOT, 'dist', 'web'), ...opts });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as { port: number };
  return { ...t, url: `http://127.0.0.1:${port}`, venueId: VENUE_ID };
}

let seq = 0;
export function holderInput(over: Partial<RegisterBody> = {}): RegisterBody {
  seq++;
  const n = String(process.pid % 1000).padStart(3, '0') + String(seq).padStart(5, '0');
  return {
    name: 'Zhang Wei',
    idNumber: `33078119900101${n}`,
    dateOfBirth: '1990-01-01',
    phone: `139${n}`,
    region: 'CN-LX-01',
    password: 'correct horse battery',
    timeZone: 'Asia/Shanghai',
    ...over,
  };
}

/** The session cookie of a response, as a header for the next request. */
export function cookieOf(res: LightMyRequestResponse, name: string): string {
  const c = res.cookies.find((x) => x.name === name);
  if (!c) throw new Error(`no ${name} cookie in the response (status ${res.statusCode}: ${res.body.slice(0, 200)})`);
  return `${name}=${c.value}`;
}

export async function registerHolder(app: FastifyInstance, over: Partial<RegisterBody> = {}) {
  const body = holderInput(over);
  const res = await app.inject({ method: 'POST', url: '/api/holder/register', payload: body });
  if (res.statusCode !== 201) throw new Error(`register failed: ${res.statusCode} ${res.body}`);
  return { body, res, cookie: cookieOf(res, 'hc_holder'), holder: res.json().holder as { id: string } };
}

export async function loginOperator(app: FastifyInstance): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/staff/login', payload: OPERATOR });
  return cookieOf(res, 'hc_staff');
}
