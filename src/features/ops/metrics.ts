// Prometheus metrics, one registry per app (no global state: tests build many apps).
// Served at /metrics. Names are healthcode_*; process and runtime metrics come from
// prom-client's defaults.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../../db/connect.ts';
import type { ScanTable } from '../../db/schema.ts';
import type { CodeVerifier } from '../scans/verifier.ts';
import type { ScanWriter, WriterObserver } from '../scans/writer.ts';

export class Metrics {
  readonly registry = new Registry();

  readonly scansIngested = new Counter({
    name: 'healthcode_scans_ingested_total',
    help: 'Scan events answered by the store: stored (new), duplicate (a repeated event id), rejected (bad input in a batch)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly verifyFailures = new Counter({
    name: 'healthcode_scan_verify_failures_total',
    help: 'Stored scans whose code failed verification, by error code (expired, bad_signature, unknown_kid, …)',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  readonly scanColours = new Counter({
    name: 'healthcode_scans_by_colour_total',
    help: 'Stored scans of valid codes, by the colour the code showed',
    labelNames: ['colour'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'healthcode_http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly commitRows = new Histogram({
    name: 'healthcode_scan_commit_rows',
    help: 'Scans per group-commit transaction',
    buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000],
    registers: [this.registry],
  });

  readonly commitSeconds = new Histogram({
    name: 'healthcode_scan_commit_seconds',
    help: 'Duration of a group-commit transaction, until durable',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly storeFailures = new Counter({
    name: 'healthcode_store_failures_total',
    help: 'Failed scan transactions, by kind (full, read_only, unavailable, other)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The scan writer's report hooks. */
  writerObserver(): WriterObserver {
    return {
      batch: (rows, seconds) => {
        this.commitRows.observe(rows);
        this.commitSeconds.observe(seconds);
      },
      outcome: (status, row) => {
        this.scansIngested.inc({ status });
        if (status === 'stored' && row) this.countVerdict(row);
      },
      failure: (kind) => this.storeFailures.inc({ kind }),
    };
  }

  private countVerdict(row: ScanTable): void {
    if (row.verdict_error) this.verifyFailures.inc({ code: row.verdict_error });
    if (row.verdict_colour) this.scanColours.inc({ colour: row.verdict_colour });
  }

  /** Queue depths, read at scrape time. */
  /** Codes verified by the worker pool and on the main thread (a counter read from the verifier). */
  watchVerifier(verifier: CodeVerifier): void {
    new Counter({
      name: 'healthcode_codes_verified_total',
      help: 'Scanned codes verified, by where: worker (the verification pool) or main (no pool, or a lost worker)',
      labelNames: ['where'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc({ where: 'worker' }, verifier.counts.workers);
        this.inc({ where: 'main' }, verifier.counts.here);
      },
    });
  }

  watchQueues(writer: ScanWriter, store: Store): void {
    new Gauge({
      name: 'healthcode_scan_queue_depth',
      help: 'Scans waiting for the next group commit',
      registers: [this.registry],
      collect() {
        this.set(writer.queued);
      },
    });
    new Gauge({
      name: 'healthcode_scan_writing',
      help: 'Scans in the transaction being committed',
      registers: [this.registry],
      collect() {
        this.set(writer.writing);
      },
    });
    const pool = store.poolStats;
    if (pool) {
      new Gauge({
        name: 'healthcode_db_pool_connections',
        help: 'PostgreSQL pool connections by state (total, idle, waiting = requests queued for a connection)',
        labelNames: ['state'] as const,
        registers: [this.registry],
        collect() {
          const s = pool();
          this.set({ state: 'total' }, s.total);
          this.set({ state: 'idle' }, s.idle);
          this.set({ state: 'waiting' }, s.waiting);
        },
      });
    }
  }
}
