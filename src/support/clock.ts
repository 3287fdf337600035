// The clock and the random source are passed in (tests control both).
import crypto from 'node:crypto';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to; for tests and simulations. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string) {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(at: Date | string): void {
    this.t = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface Random {
  uuid(): string;
  bytes(n: number): Buffer;
}

export const cryptoRandom: Random = {
  uuid: () => crypto.randomUUID(),
  bytes: (n) => crypto.randomBytes(n),
};
