// Who may call what. Every route declares the roles it allows (`config: { roles: [...] }`, or its
// audience plugin's default through `audience()`); 'anonymous' is explicit for public routes. A
// route without roles stops the start (see plugin.ts), so the role-matrix test covers every route.

/** Staff roles, stored in staff_accounts.role. */
export const STAFF_ROLES = ['checkpoint_operator', 'venue_manager', 'official', 'supervisor', 'auditor', 'operator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * Holder roles. 'guardian' is a holder acting for a dependant (issue 9 adds dependants). A guardian
 * is a holder too, so holder routes admit them for their own record; a route that allows
 * 'guardian' admits a holder session and must itself check that the holder is the guardian of the
 * dependant the request names. No route allows 'guardian' yet.
 */
export const HOLDER_ROLES = ['holder', 'guardian'] as const;
export type HolderRole = (typeof HOLDER_ROLES)[number];

export const ROLES = ['anonymous', ...HOLDER_ROLES, ...STAFF_ROLES] as const;
export type Role = (typeof ROLES)[number];

/** Staff who decide about people: they log in with a second factor (TOTP). */
export const TOTP_ROLES: readonly StaffRole[] = ['official', 'supervisor', 'operator'];

export function isStaffRole(r: string): r is StaffRole {
  return (STAFF_ROLES as readonly string[]).includes(r);
}

export interface RouteAudit {
  /** false: the route writes its own audit entries inside its transaction (or writes nothing worth one) */
  generic?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the roles allowed to call this route; 'anonymous' means anyone */
    roles?: readonly Role[];
    audit?: RouteAudit;
  }
}
