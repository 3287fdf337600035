// Schemas of the holder's venue check-ins (scanning a venue poster). Only TypeBox here, so the
// holder app can import the types.
import { Type, type Static } from '@sinclair/typebox';
import { Colour, VenueView } from '../../contracts/api.ts';

export const VenueVisitBody = Type.Object(
  {
    venueId: Type.String({ minLength: 1, maxLength: 64, description: "the venue named by the poster's QR code (/?checkin=<venueId>)" }),
    clientEventId: Type.String({ format: 'uuid', description: 'made by the phone: sending the same check-in again stores it once' }),
  },
  { additionalProperties: false },
);
export type VenueVisitBody = Static<typeof VenueVisitBody>;

export const VenueVisitView = Type.Object({
  eventId: Type.String(),
  venue: VenueView,
  at: Type.String({ description: 'when the visit was recorded' }),
  colour: Type.Union([Colour, Type.Null()], { description: 'the colour recorded with the visit' }),
  source: Type.Union([Type.Literal('self_check_in'), Type.Literal('checkpoint')], {
    description: "'self_check_in': you scanned the venue's poster; 'checkpoint': staff scanned your code there",
  }),
});
export type VenueVisitView = Static<typeof VenueVisitView>;

export const VenueVisitResult = Type.Object({
  status: Type.Union([Type.Literal('stored'), Type.Literal('duplicate')]),
  visit: VenueVisitView,
});
export type VenueVisitResult = Static<typeof VenueVisitResult>;
