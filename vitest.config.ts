import { defineConfig } from 'vitest/config';

// Tests run in UTC whatever the machine says (dates in the domain carry their own offsets).
process.env.TZ = 'UTC';

export default defineConfig({
  test: {
    root: '.',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { TZ: 'UTC' },
  },
});
