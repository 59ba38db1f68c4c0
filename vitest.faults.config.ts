import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/** `npm run test:faults`: the fault tests at full size (minutes of load and churn; see test/faults/support/fault-kit.ts). */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['test/faults/**/*.test.ts'],
      env: { FAULTS_PROFILE: 'full' },
      testTimeout: 600_000,
    },
  }),
);
