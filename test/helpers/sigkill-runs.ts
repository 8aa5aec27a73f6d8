/**
 * How many times each SIGKILL suite (test/forms/crash.test.ts, test/reliability/broadcast-crash.test.ts) kills the
 * service: 5 by default, so `npm test` stays quick on a developer's machine; `.ci/run` sets SIGKILL_RUNS=50.
 */
export const SIGKILL_RUNS = (() => {
  const runs = Number(process.env.SIGKILL_RUNS ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`SIGKILL_RUNS must be a positive whole number, not "${process.env.SIGKILL_RUNS}"`);
  return runs;
})();

/** The suites' time limit: a minute, and room for each run (a run takes 1–4 s on a loaded 2-core machine). */
export const sigkillTimeoutMs = (runs: number) => 60_000 + runs * 15_000;
