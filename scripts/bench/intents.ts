/**
 * Intent accuracy: npm run bench:intents
 * Every message of the paraphrase set (test/intents/) through the real bot (the test app's encrypted callback), as
 * its intent's sender, on the question set's day; accuracy per intent on the tune part and on the held-out part.
 * `--misses` lists the messages routed wrong, tune part only (the held-out part is never looked at line by line).
 */
import { ManualClock } from '../../src/clock.ts';
import { QUESTION_SET_NOW } from '../../test/answers/question-set.ts';
import { semesterContent } from '../../test/helpers/content.ts';
import { startTestApp } from '../../test/helpers/test-app.ts';
import { PARAPHRASES } from '../../test/intents/paraphrases.ts';
import { accuracy, route, type Accuracy } from '../../test/intents/route.ts';

const app = await startTestApp({ clock: new ManualClock(QUESTION_SET_NOW), content: await semesterContent() });
try {
  const routed = await route(app, PARAPHRASES);
  const tune = accuracy(routed.filter((r) => !r.heldOut));
  const held = accuracy(routed.filter((r) => r.heldOut));
  const pct = (a: Accuracy) => `${((100 * a.right) / a.total).toFixed(0).padStart(3)}% (${a.right}/${a.total})`;
  console.log(`${'intent'.padEnd(18)} ${'tune'.padEnd(16)} held-out`);
  for (const [i, t] of tune.entries()) console.log(`${t.intent.padEnd(18)} ${pct(t).padEnd(16)} ${pct(held[i]!)}`);
  const sum = (xs: Accuracy[]): Accuracy => ({ intent: xs[0]!.intent, right: xs.reduce((s, a) => s + a.right, 0), total: xs.reduce((s, a) => s + a.total, 0) });
  console.log(`${'all'.padEnd(18)} ${pct(sum(tune)).padEnd(16)} ${pct(sum(held))}`);
  if (process.argv.includes('--misses')) {
    for (const r of routed.filter((x) => !x.right && !x.heldOut)) console.log(`  ${r.intent.padEnd(16)} ${r.text}  → ${r.handler ?? '(none)'}`);
  }
} finally {
  await app.close();
}
