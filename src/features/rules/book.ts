// The rule book: every published ruleset, and which one is in force at a given moment. Loaded
// from the store at start and refreshed by the scheduler, so a ruleset published by the CLI
// (or another instance) takes effect at its time without a restart.
import type { Kysely } from 'kysely';
import { DEFAULT_RULESET } from '../../core/rules/default.ts';
import { parseRuleset, type Ruleset } from '../../core/rules/ruleset.ts';
import type { Database, RulesetTable } from '../../db/schema.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { insertRuleset, listRulesets } from './repository.ts';

export interface PublishedRuleset {
  ruleset: Ruleset;
  effectiveFrom: Date;
  publishedAt: Date;
  emergency: boolean;
  publishedBy: string;
}

export class RuleBook {
  private entries: PublishedRuleset[];

  constructor(entries: PublishedRuleset[]) {
    if (entries.length === 0) throw new Error('a rule book needs at least one ruleset');
    this.entries = [...entries].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime() || a.publishedAt.getTime() - b.publishedAt.getTime());
  }

  /** A book holding one ruleset in force since its effectiveFrom (tests, and before the store is read). */
  static of(ruleset: Ruleset): RuleBook {
    const at = new Date(ruleset.effectiveFrom);
    return new RuleBook([{ ruleset, effectiveFrom: at, publishedAt: at, emergency: false, publishedBy: 'bundled' }]);
  }

  /** The ruleset in force at `now`: the latest one whose effective time has come. */
  inForce(now: Date): Ruleset {
    return this.entryInForce(now).ruleset;
  }

  entryInForce(now: Date): PublishedRuleset {
    let current = this.entries[0]!;
    for (const e of this.entries) if (e.effectiveFrom.getTime() <= now.getTime()) current = e;
    return current;
  }

  /** Published rulesets not yet in force. */
  upcoming(now: Date): PublishedRuleset[] {
    return this.entries.filter((e) => e.effectiveFrom.getTime() > now.getTime());
  }

  all(): readonly PublishedRuleset[] {
    return this.entries;
  }

  has(version: string): boolean {
    return this.entries.some((e) => e.ruleset.version === version);
  }

  replaceWith(other: RuleBook): void {
    this.entries = [...other.entries];
  }
}

function rowToPublished(row: RulesetTable): PublishedRuleset {
  return {
    ruleset: parseRuleset(JSON.parse(row.document)),
    effectiveFrom: new Date(row.effective_from),
    publishedAt: new Date(row.published_at),
    emergency: row.emergency === 1,
    publishedBy: row.published_by,
  };
}

/** Reads the book from the store; a store without rulesets gets the bundled default first. */
export async function loadRuleBook(db: Kysely<Database>, now: Date): Promise<RuleBook> {
  let rows = await listRulesets(db);
  if (rows.length === 0) {
    try {
      await insertRuleset(db, {
        version: DEFAULT_RULESET.version,
        document: JSON.stringify(DEFAULT_RULESET.document),
        effective_from: Date.parse(DEFAULT_RULESET.effectiveFrom),
        published_at: now.getTime(),
        emergency: 0,
        published_by: 'bundled default',
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e; // another instance seeded it first
    }
    rows = await listRulesets(db);
  }
  return new RuleBook(rows.map(rowToPublished));
}
