import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StatementCache } from './connect.ts';

describe('StatementCache (SQLite prepared statements reused by SQL text)', () => {
  it('hands out the same statement for the same SQL, and a fresh one while it is being iterated', () => {
    const sqlite = new SQLite(':memory:');
    const cache = new StatementCache(sqlite, 2);
    sqlite.exec('create table t (x integer); insert into t values (1), (2), (3)');
    const a = cache.prepare('select x from t order by x');
    expect(cache.prepare('select x from t order by x')).toBe(a);
    const it = a.iterate();
    it.next(); // a is busy now: a second user gets its own statement
    const b = cache.prepare('select x from t order by x');
    expect(b).not.toBe(a);
    expect(b.all()).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
    expect(it.next().value).toEqual({ x: 2 });
    it.return?.();
    cache.close();
  });

  it('keeps only the most recently used statements', () => {
    const sqlite = new SQLite(':memory:');
    const cache = new StatementCache(sqlite, 2);
    const one = cache.prepare('select 1');
    const firstTwo = cache.prepare('select 2');
    expect(cache.prepare('select 1')).toBe(one); // 1 is now the most recent
    cache.prepare('select 3'); // evicts 2
    expect(cache.prepare('select 1')).toBe(one);
    const two = cache.prepare('select 2');
    expect(two).not.toBe(firstTwo);
    expect(cache.prepare('select 2')).toBe(two);
    cache.close();
  });
});
