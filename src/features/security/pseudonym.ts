// A stable pseudonym for a staff account, shown to holders in their access log and on overrides:
// the same official always has the same pseudonym (so a holder can see repeat access), auditors
// can map it back to the account (they can recompute it), and holders cannot.
import crypto from 'node:crypto';

export function staffPseudonym(key: Buffer, staffId: string): string {
  const h = crypto.createHmac('sha256', key).update(`staff-pseudonym:${staffId}`).digest('hex').toUpperCase();
  return `${h.slice(0, 4)}-${h.slice(4, 8)}`;
}
