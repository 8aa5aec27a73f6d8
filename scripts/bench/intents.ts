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
  // The first set and the second writer's (batch 'new'), each with its tune and held-out part.
  const parts = [
    accuracy(routed.filter((r) => !r.heldOut && !r.batch)),
    accuracy(routed.filter((r) => r.heldOut && !r.batch)),
    accuracy(routed.filter((r) => !r.heldOut && r.batch === 'new')),
    accuracy(routed.filter((r) => r.heldOut && r.batch === 'new')),
  ];
  const pct = (a: Accuracy) => (a.total ? `${((100 * a.right) / a.total).toFixed(0).padStart(3)}% (${a.right}/${a.total})` : '–');
  const row = (name: string, cells: Accuracy[]) => `| ${name} | ${cells.map(pct).join(' | ')} |`;
  console.log('| intent | tune | held-out | tune (new) | held-out (new) |\n|---|---:|---:|---:|---:|');
  for (const [i, t] of parts[0]!.entries())
    console.log(
      row(
        t.intent,
        parts.map((p) => p[i]!),
      ),
    );
  const sum = (xs: Accuracy[]): Accuracy => ({ intent: xs[0]!.intent, right: xs.reduce((s, a) => s + a.right, 0), total: xs.reduce((s, a) => s + a.total, 0) });
  console.log(row('**all**', parts.map(sum)));
  if (process.argv.includes('--misses')) {
    for (const r of routed.filter((x) => !x.right && !x.heldOut)) console.log(`  ${r.intent.padEnd(16)} ${r.text}  → ${r.handler ?? '(none)'}`);
  }
} finally {
  await app.close();
}
