// Reads that the requests of one event-loop turn make with different keys — the holder of each
// scanned code, each code's revocation — made once for all of them: every caller's keys are
// gathered until the turn ends, one load reads their union, and each caller gets its own part.
// A failed load fails every caller of that turn, as each would have failed on its own.

export function perTurn<K, V>(load: (keys: K[]) => Promise<Map<K, V>>): (keys: readonly K[]) => Promise<Map<K, V>> {
  let pending: { keys: readonly K[]; resolve: (m: Map<K, V>) => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;
  const flush = async () => {
    scheduled = false;
    const callers = pending;
    pending = [];
    try {
      const all = await load([...new Set(callers.flatMap((c) => c.keys))]);
      for (const c of callers) {
        const mine = new Map<K, V>();
        for (const k of c.keys) if (all.has(k)) mine.set(k, all.get(k)!);
        c.resolve(mine);
      }
    } catch (e) {
      for (const c of callers) c.reject(e);
    }
  };
  return (keys) => {
    if (keys.length === 0) return Promise.resolve(new Map());
    return new Promise((resolve, reject) => {
      pending.push({ keys, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(() => void flush());
      }
    });
  };
}
