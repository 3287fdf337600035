// Security settings read from the typed config, in the shapes the services take.
import type { AppDeps } from '../../deps.ts';
import type { LockoutPolicy } from '../auth/lockout.ts';

export function lockoutPolicy(deps: Pick<AppDeps, 'config'>): LockoutPolicy {
  return { maxFailures: deps.config.loginMaxFailures, windowMinutes: deps.config.loginLockMinutes, lockMinutes: deps.config.loginLockMinutes };
}
