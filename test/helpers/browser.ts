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
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * What tests read of the page inside the browser (page.evaluate runs there): the project compiles without the DOM
 * library, so the few globals used are typed here instead of cast to any. Cast inline
 * (`globalThis as unknown as InPage`): the function is sent to the page as source, so it can call nothing of ours.
 */
export interface InPage {
  document: { documentElement: { scrollWidth: number } };
  getComputedStyle(el: unknown, pseudo?: string): { display: string; color: string; content: string };
}
/** An element's own size, as a test reads it inside the page. */
export type InPageElement = { scrollWidth: number; clientWidth: number; value?: string; label?: string };
