// Everything buildApp needs, passed in by main.ts (or by a test): no singletons.
import type { Config } from './config.ts';
import type { Ruleset } from './core/rules/ruleset.ts';
import type { Store } from './db/connect.ts';
import type { KeyRing } from './features/keys/service.ts';
import type { Clock, Random } from './support/clock.ts';

export interface AppDeps {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly keys: KeyRing;
  /** HMAC key for ID document numbers */
  readonly idHashKey: Buffer;
  readonly ruleset: Ruleset;
  /** pino options, or false for no logs (tests) */
  readonly logger: boolean | Record<string, unknown>;
  /** folder of the built web apps (dist/web), or null to serve the API only */
  readonly webRoot: string | null;
}
