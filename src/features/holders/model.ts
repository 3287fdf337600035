// The holder as the domain sees it, and the presenter that decides what a response may show.
import crypto from 'node:crypto';
import type { HolderView } from '../../contracts/api.ts';
import { maskName } from '../../core/holders/mask.ts';
import type { HolderTable } from '../../db/schema.ts';

export interface Holder {
  id: string;
  name: string;
  idLast4: string;
  dateOfBirth: string;
  phone: string;
  region: string;
  timeZone: string;
  createdAt: Date;
}

export function rowToHolder(row: HolderTable): Holder {
  return {
    id: row.id,
    name: row.name,
    idLast4: row.id_last4,
    dateOfBirth: row.date_of_birth,
    phone: row.phone,
    region: row.region,
    timeZone: row.time_zone,
    createdAt: new Date(row.created_at),
  };
}

export function birthYear(h: Pick<Holder, 'dateOfBirth'>): number {
  return Number(h.dateOfBirth.slice(0, 4));
}

export function presentHolder(h: Holder): HolderView {
  return {
    id: h.id,
    name: h.name,
    maskedName: maskName(h.name),
    birthYear: birthYear(h),
    dateOfBirth: h.dateOfBirth,
    idLast4: h.idLast4,
    phone: h.phone,
    region: h.region,
    timeZone: h.timeZone,
    createdAt: h.createdAt.toISOString(),
  };
}

/** ID document numbers are compared case-insensitively, without spaces or dashes. */
export function normaliseIdNumber(idNumber: string): string {
  return idNumber.replace(/[\s-]/g, '').toUpperCase();
}

/** The keyed hash stored for look-up: HMAC-SHA256 with the server's id key. */
export function idHash(idNumber: string, key: Buffer): string {
  return crypto.createHmac('sha256', key).update(normaliseIdNumber(idNumber)).digest('hex');
}
