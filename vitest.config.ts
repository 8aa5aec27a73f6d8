import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    // The tests' own 2016 content (test/helpers/content.ts FIXTURE_CONTENT), for services and configs read from the environment.
    env: { CONTENT_DIR: 'test/fixtures/content' },
  },
});
