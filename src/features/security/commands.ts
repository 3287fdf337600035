// The command line of due process: audit verify, purge, staff add. Registered by cli.ts.
import crypto from 'node:crypto';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../../config.ts';
import { base32Encode, otpauthUri } from '../../core/auth/totp.ts';
import { openStore } from '../../db/connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { cryptoRandom, systemClock } from '../../support/clock.ts';
import { audit, SYSTEM, verifyAuditLog } from '../audit/service.ts';
import { hashPassword } from '../auth/passwords.ts';
import { loadRuleBook } from '../rules/book.ts';
import { runPurge } from '../retention/service.ts';
import { insertStaff } from '../staff/repository.ts';
import { isStaffRole, STAFF_ROLES, TOTP_ROLES, type StaffRole } from './roles.ts';

function isoTime(v: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v))) {
    throw new InvalidArgumentError(`expected an ISO 8601 time with an offset, got ${JSON.stringify(v)}`);
  }
  return new Date(v);
}

async function withStore<T>(fn: (store: ReturnType<typeof openStore>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = openStore(config.databaseUrl, { poolMax: 2 });
  try {
    await migrateToLatest(store.db);
    return await fn(store);
  } finally {
    await store.close();
  }
}

export function registerDueProcessCommands(program: Command): void {
  program
    .command('audit')
    .description('the hash-chained audit log')
    .command('verify')
    .description('recompute the chain and check the published daily heads; prints the first broken entry; exit 0 intact, 1 broken')
    .action(async () => {
      await withStore(async (store) => {
        const r = await verifyAuditLog(store.db);
        console.log(JSON.stringify(r));
        if (!r.ok) {
          console.error(`healthcode: audit log broken at entry ${r.break!.seq} (${r.break!.problem}): ${r.break!.message}`);
          process.exitCode = 1;
        }
      });
    });

  program
    .command('purge')
    .description('retention: delete scans past the ruleset\'s retention (counts kept) and other data past its configured period, apply due deletion requests, publish the audit head (what the server runs hourly; idempotent)')
    .option('--at <time>', 'as of this ISO 8601 time instead of now', isoTime)
    .action(async (opts: { at?: Date }) => {
      const config = loadConfig();
      await withStore(async (store) => {
        const now = opts.at ?? systemClock.now();
        const rules = await loadRuleBook(store.db, now);
        const r = await runPurge(store.db, { now, scanRetentionDays: rules.inForce(now).parameters.scanRetentionDays, config, random: cryptoRandom });
        console.log(JSON.stringify(r));
      });
    });

  program
    .command('staff')
    .description('staff accounts')
    .command('add')
    .description('create a staff account; prints a one-time password and, for officials, supervisors and operators, the TOTP secret to enrol in an authenticator app')
    .argument('<username>', 'log-in name')
    .requiredOption('--role <role>', `one of ${STAFF_ROLES.join(', ')}`, (v: string) => {
      if (!isStaffRole(v)) throw new InvalidArgumentError(`--role must be one of ${STAFF_ROLES.join(', ')}, got ${JSON.stringify(v)}`);
      return v;
    })
    .option('--name <display name>', 'shown in the apps')
    .option('--venue <id>', 'a venue the account operates (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .action(async (username: string, opts: { role: StaffRole; name?: string; venue: string[] }) => {
      const config = loadConfig();
      await withStore(async (store) => {
        const now = systemClock.now();
        const password = crypto.randomBytes(12).toString('base64url');
        const totpSecret = TOTP_ROLES.includes(opts.role) ? base32Encode(crypto.randomBytes(20)) : null;
        const id = cryptoRandom.uuid();
        await insertStaff(
          store.db,
          { id, username, display_name: opts.name ?? username, role: opts.role, password_hash: await hashPassword(password), created_at: now.getTime(), totp_secret: totpSecret },
          opts.venue,
        );
        await audit(store.db, { at: now, actor: SYSTEM, action: 'staff.add', subject: { kind: 'staff', id }, detail: { username, role: opts.role, venues: opts.venue } });
        console.log(`created ${opts.role} ${username} (${id})`);
        console.log(`password: ${password}`);
        if (totpSecret) {
          console.log(`TOTP secret: ${totpSecret}`);
          console.log(`otpauth URI: ${otpauthUri(totpSecret, username, `healthcode ${config.region}`)}`);
        }
      });
    });
}
