import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Page tests need a real browser. In CI its absence is a failure (.ci/run installs it); on a developer's
 * machine without Chromium the tests are skipped with a visible message.
 */
export const browserAvailable = existsSync(CHROMIUM);
if (!browserAvailable) {
  if (process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}; .ci/run must install it (apt-get install chromium)`);
  console.warn(`[skip] browser tests: Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
