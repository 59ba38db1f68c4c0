import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/** `npm run test:faults`: only the fault tests, at full size (minutes of load and churn; see test/faults/support/fault-kit.ts). */
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/faults/**/*.test.ts'],
    env: { FAULTS_PROFILE: 'full' },
    testTimeout: 600_000,
  },
});
