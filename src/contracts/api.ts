// Request/response schemas shared by the server routes (validation + serialisation)
// and the web apps (types). One schema per route; nothing here does I/O.
import { Type, type Static } from '@sinclair/typebox';

export const Colour = Type.Union([
  Type.Literal('green'),
  Type.Literal('yellow'),
  Type.Literal('red'),
  Type.Literal('grey'),
]);
export type Colour = Static<typeof Colour>;

export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** ISO 8601 date-time with an explicit offset (Z or ±hh:mm). */
export const IsoDateTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
  description: 'ISO 8601 date-time with an offset, e.g. 2026-11-23T08:00:00+08:00',
});
export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'calendar date YYYY-MM-DD' });
export const RegionCode = Type.String({
  pattern: '^[A-Z]{2}(-[A-Z0-9]{1,8}){0,3}$',
  description: 'region code, e.g. CN-LX-03',
});

// ---------------------------------------------------------------- holders
export const RegisterBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    idNumber: Type.String({ pattern: '^[0-9A-Za-z]{6,32}$', description: 'ID document number' }),
    dateOfBirth: IsoDate,
    phone: Type.String({ pattern: '^\\+?[0-9]{6,20}$' }),
    region: RegionCode,
    password: Type.String({ minLength: 8, maxLength: 200 }),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone; default the deployment zone' })),
  },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object(
  { phone: Type.String({ minLength: 1, maxLength: 32 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const HolderView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  maskedName: Type.String(),
  birthYear: Type.Integer(),
  dateOfBirth: IsoDate,
  idLast4: Type.String(),
  phone: Type.String(),
  region: Type.String(),
  timeZone: Type.String(),
  createdAt: Type.String(),
});
export type HolderView = Static<typeof HolderView>;

// ---------------------------------------------------------------- declarations
export const PlaceVisited = Type.Object(
  { region: RegionCode, from: IsoDate, to: IsoDate },
  { additionalProperties: false },
);
export const DeclarationBody = Type.Object(
  {
    symptoms: Type.Array(
      Type.Union([
        Type.Literal('fever'),
        Type.Literal('cough'),
        Type.Literal('sore_throat'),
        Type.Literal('shortness_of_breath'),
        Type.Literal('loss_of_taste_or_smell'),
        Type.Literal('fatigue'),
      ]),
      { maxItems: 6, uniqueItems: true },
    ),
    temperatureC: Type.Optional(Type.Number({ minimum: 30, maximum: 45 })),
    placesVisited: Type.Array(PlaceVisited, { maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type DeclarationBody = Static<typeof DeclarationBody>;

export const LocalText = Type.Object({ en: Type.String(), 'zh-CN': Type.String() });

export const Requirement = Type.Object({
  kind: Type.Union([
    Type.Literal('elapsed'),
    Type.Literal('checkIns'),
    Type.Literal('negativePcrs'),
    Type.Literal('discharged'),
    Type.Literal('checkInToday'),
  ]),
  text: LocalText,
  due: Type.Union([Type.String(), Type.Null()], { description: 'earliest moment it can be met; null when it depends on results not yet known' }),
  done: Type.Boolean(),
  have: Type.Optional(Type.Integer()),
  need: Type.Optional(Type.Integer()),
});

export const Reason = Type.Object({
  ruleId: Type.String(),
  colour: Colour,
  text: LocalText,
  since: Type.String({ description: 'when this cause took effect' }),
  periodStart: Type.String({ description: 'when its period counts from' }),
  facts: Type.Array(Type.Object({ kind: Type.String(), id: Type.String(), summary: Type.String() })),
  wayToGreen: Type.Array(
    Type.Object({ requirements: Type.Array(Requirement), due: Type.Union([Type.String(), Type.Null()]) }),
    { description: 'any one option, fully met, ends this cause' },
  ),
  until: Type.Union([Type.String(), Type.Null()], { description: 'earliest possible end of this cause' }),
});
export type Reason = Static<typeof Reason>;

export const AssessmentView = Type.Object({
  id: Type.String(),
  colour: Colour,
  reasons: Type.Array(Reason),
  rulesetVersion: Type.String(),
  assessedAt: Type.String(),
  validUntil: Type.String(),
});
export type AssessmentView = Static<typeof AssessmentView>;

export const DeclarationView = Type.Object({
  id: Type.String(),
  symptoms: Type.Array(Type.String()),
  temperatureC: Type.Union([Type.Number(), Type.Null()]),
  placesVisited: Type.Array(Type.Object({ region: Type.String(), from: Type.String(), to: Type.String() })),
  declaredAt: Type.String(),
});
export type DeclarationView = Static<typeof DeclarationView>;

export const DeclarationResult = Type.Object({ declaration: DeclarationView, assessment: AssessmentView });
export type DeclarationResult = Static<typeof DeclarationResult>;

export const StatusView = Type.Object({ holder: HolderView, assessment: AssessmentView });
export type StatusView = Static<typeof StatusView>;

export const CodeView = Type.Object({
  token: Type.String({ description: 'the signed code (HCQ1:…) to render as a QR code' }),
  svg: Type.String({ description: 'the QR code as an SVG document' }),
  colour: Colour,
  issuedAt: Type.String(),
  expiresAt: Type.String(),
});
export type CodeView = Static<typeof CodeView>;

// ---------------------------------------------------------------- checkpoints
export const StaffLoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
    totp: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'the authenticator code; required for officials, supervisors and operators' })),
  },
  { additionalProperties: false },
);
export type StaffLoginBody = Static<typeof StaffLoginBody>;

export const VenueKind = Type.Union([
  Type.Literal('transit'),
  Type.Literal('mall'),
  Type.Literal('supermarket'),
  Type.Literal('hospital'),
  Type.Literal('hotel'),
  Type.Literal('restaurant'),
  Type.Literal('road_checkpoint'),
]);
export type VenueKind = Static<typeof VenueKind>;

export const VenueView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: VenueKind,
  region: Type.String(),
  address: Type.String(),
});
export type VenueView = Static<typeof VenueView>;

/** A venue as its manager sees it: with both expected daily footfalls (issue 9). */
export const ManagedVenueView = Type.Object({
  ...VenueView.properties,
  declaredDaily: Type.Union([Type.Integer(), Type.Null()], { description: 'expected visitors per day as declared (at registration or later); null when never declared' }),
  learnedDaily: Type.Union([Type.Integer(), Type.Null()], {
    description: "expected visitors on learnedFor, learned from the venue's own scans: the median of the same weekday in the previous four weeks (unflagged days); null with fewer than two such days",
  }),
  learnedFor: Type.String({ description: 'the calendar date (deployment time zone) the learned number is for: today' }),
  learnedDays: Type.Integer({ description: 'how many same-weekday days the learned number is the median of' }),
});
export type ManagedVenueView = Static<typeof ManagedVenueView>;

export const StaffView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  venues: Type.Array(VenueView),
});
export type StaffView = Static<typeof StaffView>;

export const ScanBody = Type.Object(
  {
    eventId: Type.String({ format: 'uuid', description: 'client-generated id; the same id twice stores one scan' }),
    venueId: Type.String({ minLength: 1, maxLength: 64 }),
    // the codec itself refuses more than 4096 characters with a typed 'too_large' verdict;
    // the schema bounds the request
    code: Type.String({ minLength: 1, maxLength: 8192 }),
    scannedAt: IsoDateTime,
    mode: Type.Union([Type.Literal('camera'), Type.Literal('manual'), Type.Literal('offline_sync')]),
    direction: Type.Optional(Type.Union([Type.Literal('in'), Type.Literal('out')])),
    temperatureC: Type.Optional(Type.Number({ minimum: 30, maximum: 45 })),
  },
  { additionalProperties: false },
);
export type ScanBody = Static<typeof ScanBody>;

export const Verdict = Type.Object({
  ok: Type.Boolean({ description: 'true when the code is genuine and current; the colour decides passage' }),
  pass: Type.Boolean({ description: 'true only for a valid green code' }),
  error: Type.Union([Type.String(), Type.Null()]),
  colour: Type.Union([Colour, Type.Null()]),
  maskedName: Type.Union([Type.String(), Type.Null()]),
  birthYear: Type.Union([Type.Integer(), Type.Null()]),
  validUntil: Type.Union([Type.String(), Type.Null()]),
  region: Type.Union([Type.String(), Type.Null()]),
  rulesetVersion: Type.Union([Type.String(), Type.Null()]),
  // issue 9 (optional: verdicts stored before it lack them)
  kind: Type.Optional(Type.Union([Type.Literal('live'), Type.Literal('paper'), Type.Null()], { description: 'live phone code or printed paper code' })),
  assurance: Type.Optional(
    Type.Union([Type.Literal('standard'), Type.Literal('low'), Type.Null()], { description: 'low for paper codes: longer-lived, not bound to a phone' }),
  ),
  colourSource: Type.Optional(
    Type.Union([Type.Literal('token'), Type.Literal('current'), Type.Null()], { description: "'current': the holder's colour now (online); 'token': the colour the code was issued with" }),
  ),
  colourAsOf: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'when the colour shown was determined' })),
  message: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'a warning or the reason for a refusal, in plain English' })),
  revocation: Type.Optional(
    Type.Union([Type.Object({ at: Type.String({ format: 'date-time' }), reason: Type.String({ description: "e.g. 'reprinted'" }) }), Type.Null()], {
      description: 'for a revoked code (error revoked): when and why it was revoked',
    }),
  ),
});
export type Verdict = Static<typeof Verdict>;

export const ScanResult = Type.Object({
  eventId: Type.String(),
  status: Type.Union([Type.Literal('stored'), Type.Literal('duplicate')]),
  storedAt: Type.String(),
  verdict: Verdict,
});
export type ScanResult = Static<typeof ScanResult>;

export const VerifyBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 8192 }) }, { additionalProperties: false });
export type VerifyBody = Static<typeof VerifyBody>;

// ---------------------------------------------------------------- batch sync (offline checkpoints)
export const MAX_BATCH_EVENTS = 10_000;

export const BatchScanBody = Type.Object(
  {
    // each event is checked against ScanBody on its own, so one bad event is rejected alone
    events: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_BATCH_EVENTS, description: 'up to 10,000 scan events (ScanBody)' }),
  },
  { additionalProperties: false },
);
export type BatchScanBody = Static<typeof BatchScanBody>;

export const BatchScanEventResult = Type.Object({
  index: Type.Integer({ description: 'position of the event in the request' }),
  eventId: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('stored'), Type.Literal('duplicate'), Type.Literal('rejected')]),
  storedAt: Type.Union([Type.String(), Type.Null()]),
  verdict: Type.Union([Verdict, Type.Null()]),
  error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
});
export type BatchScanEventResult = Static<typeof BatchScanEventResult>;

export const BatchScanResult = Type.Object({
  stored: Type.Integer(),
  duplicate: Type.Integer(),
  rejected: Type.Integer(),
  results: Type.Array(BatchScanEventResult),
});
export type BatchScanResult = Static<typeof BatchScanResult>;
