// Request/response schemas of the due-process routes: appeals, overrides, the holder's access
// log, export and deletion, the audit log and alarms, and the transparency page.
import { Type, type Static } from '@sinclair/typebox';
import { IsoDateTime } from './api.ts';

export const OverrideReasonCode = Type.Union(
  [
    Type.Literal('lab_result_error'),
    Type.Literal('exposure_disproved'),
    Type.Literal('identity_mix_up'),
    Type.Literal('clinical_assessment'),
    Type.Literal('positive_test_not_yet_recorded'),
    Type.Literal('isolation_completed_elsewhere'),
  ],
  { description: 'the closed list of health reasons an override may give' },
);
export const OverrideColour = Type.Union([Type.Literal('green'), Type.Literal('yellow'), Type.Literal('red')]);
const OverrideStatus = Type.Union([Type.Literal('proposed'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('expired')]);

/** At least a few words: a reason is something a holder or an auditor can read. */
const Reason = (max: number) => Type.String({ minLength: 10, maxLength: max });

export const ProposeOverrideBody = Type.Object(
  {
    holderId: Type.String({ minLength: 1, maxLength: 64 }),
    colour: OverrideColour,
    reasonCode: OverrideReasonCode,
    note: Reason(2000),
    until: IsoDateTime,
    appealId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type ProposeOverrideBody = Static<typeof ProposeOverrideBody>;

export const DecideOverrideBody = Type.Object({ note: Reason(2000) }, { additionalProperties: false });
export const ApproveOverrideBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });

export const OverrideView = Type.Object({
  id: Type.String(),
  holderId: Type.String(),
  colour: OverrideColour,
  reasonCode: OverrideReasonCode,
  reasonText: Type.String(),
  note: Type.String(),
  until: Type.String(),
  status: OverrideStatus,
  inForce: Type.Boolean(),
  proposedAt: Type.String(),
  proposedBy: Type.String({ description: 'the proposing official: the account id for staff, a stable pseudonym for the holder' }),
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  decisionNote: Type.Union([Type.String(), Type.Null()]),
  appealId: Type.Union([Type.String(), Type.Null()]),
  flags: Type.Array(Type.String(), { description: 'alarms raised when it was proposed' }),
});
export type OverrideView = Static<typeof OverrideView>;

export const AppealBody = Type.Object(
  {
    text: Reason(4000),
    assessmentId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type AppealBody = Static<typeof AppealBody>;

export const EvidenceView = Type.Object({
  id: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  sha256: Type.String(),
  uploadedAt: Type.String(),
});

export const AppealView = Type.Object({
  id: Type.String(),
  holderId: Type.String(),
  colour: Type.String({ description: 'the colour appealed against' }),
  assessmentId: Type.Union([Type.String(), Type.Null()]),
  text: Type.String(),
  filedAt: Type.String(),
  deadlineAt: Type.String(),
  overdue: Type.Boolean(),
  status: Type.Union([Type.Literal('open'), Type.Literal('upheld'), Type.Literal('rejected')]),
  decision: Type.Union([
    Type.Object({ outcome: Type.Union([Type.Literal('upheld'), Type.Literal('rejected')]), reason: Type.String(), decidedAt: Type.String(), decidedBy: Type.String() }),
    Type.Null(),
  ]),
  override: Type.Union([OverrideView, Type.Null()]),
  evidence: Type.Array(EvidenceView),
});
export type AppealView = Static<typeof AppealView>;

export const AppealDecisionBody = Type.Object(
  {
    outcome: Type.Union([Type.Literal('upheld'), Type.Literal('rejected')]),
    reason: Reason(4000),
    override: Type.Optional(
      Type.Object(
        { colour: OverrideColour, reasonCode: OverrideReasonCode, until: IsoDateTime },
        { additionalProperties: false, description: 'required when upheld: the colour change, proposed for a supervisor\'s approval' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type AppealDecisionBody = Static<typeof AppealDecisionBody>;

/** Officials' reads of a holder's data state why; the holder sees it in their access log. */
export const ReadReason = Type.Object(
  { reason: Type.String({ minLength: 5, maxLength: 500, description: 'why this holder\'s data is read; shown to the holder' }) },
  { additionalProperties: false },
);

export const AccessLogEntry = Type.Object({
  at: Type.String(),
  role: Type.String(),
  official: Type.String({ description: 'a stable pseudonym of the staff account' }),
  action: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
});

export const DeletionRequestView = Type.Object({
  requestedAt: Type.String(),
  applyAfter: Type.String({ description: 'when the deletion will be applied: after any hold the law requires' }),
  holdReasons: Type.Array(Type.String()),
  appliedAt: Type.Union([Type.String(), Type.Null()]),
});

export const AuditEntryView = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actor: Type.Object({ kind: Type.String(), id: Type.Union([Type.String(), Type.Null()]), role: Type.String() }),
  action: Type.String(),
  subject: Type.Union([Type.Object({ kind: Type.String(), id: Type.String() }), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
  prevHash: Type.String(),
  hash: Type.String(),
});

export const AuditVerifyView = Type.Object({
  ok: Type.Boolean(),
  entries: Type.Integer(),
  head: Type.Object({ seq: Type.Integer(), hash: Type.String() }),
  publishedHeadsChecked: Type.Integer(),
  break: Type.Union([Type.Object({ seq: Type.Integer(), problem: Type.String(), message: Type.String() }), Type.Null()]),
});

export const AlarmView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  subject: Type.String(),
  raisedAt: Type.String(),
  updatedAt: Type.String(),
  detail: Type.Record(Type.String(), Type.Unknown()),
  acknowledged: Type.Union([Type.Object({ by: Type.String(), at: Type.String(), note: Type.String() }), Type.Null()]),
});

const Counts = (keys: string[]) => Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Integer()])));

export const TransparencyView = Type.Object({
  generatedAt: Type.String(),
  auditLog: Type.Object({
    head: Type.Object({ seq: Type.Integer(), hash: Type.String() }),
    publishedHeads: Type.Array(Type.Object({ day: Type.String(), seq: Type.Integer(), hash: Type.String(), publishedAt: Type.String() })),
  }),
  holders: Type.Object(
    { total: Type.Integer(), byColour: Counts(['green', 'yellow', 'red', 'grey']) },
    { description: 'registered holders by their colour now (aggregate counts only)' },
  ),
  overrides: Type.Object({
    total: Type.Integer(),
    byStatus: Counts(['proposed', 'approved', 'rejected', 'expired']),
    inForce: Type.Integer(),
    byReasonCode: Type.Record(Type.String(), Type.Integer()),
    byColour: Type.Record(Type.String(), Type.Integer()),
    flagged: Type.Integer({ description: 'proposals that raised an alarm' }),
  }),
  appeals: Type.Object({
    total: Type.Integer(),
    open: Type.Integer(),
    overdue: Type.Integer(),
    upheld: Type.Integer(),
    rejected: Type.Integer(),
    decidedLate: Type.Integer(),
  }),
  alarms: Type.Record(Type.String(), Type.Integer()),
});
export type TransparencyView = Static<typeof TransparencyView>;
