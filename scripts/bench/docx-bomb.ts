/**
 * A zip bomb on the status page's upload, in memory: npm run bench:docx-bomb [-- --gb 1]
 * A .docx of about a megabyte whose word/document.xml inflates to a gigabyte, checked by the upload's reader
 * (src/content/import/docx-bounds.ts) before the Word reader sees it, against the baseline in the same run: an ordinary
 * notice .docx read whole (bounds check and mammoth). Reports the peak growth of the process's resident memory while
 * each is read (sampled every 2 ms) and the ratio: the bomb must cost about what a real notice costs, not its gigabyte.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { checkDocxBounds, DocxTooLargeError } from '../../src/content/import/docx-bounds.ts';
import { docxToPlanText } from '../../src/content/import/docx.ts';
import { docxOf } from '../../test/helpers/docx.ts';
import { docxBomb } from '../../test/helpers/zip-bomb.ts';

const { values } = parseArgs({ options: { gb: { type: 'string', default: '1' } } });
const MB = 1024 * 1024;

async function peakGrowth(run: () => Promise<unknown>): Promise<{ mb: number; ms: number; outcome: string }> {
  global.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  const started = performance.now();
  let outcome = 'read';
  await run().catch((e: unknown) => (outcome = e instanceof DocxTooLargeError ? `refused (${e.entry} past ${e.limitBytes / MB} MB)` : `error ${String(e)}`));
  const ms = performance.now() - started;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { mb: (peak - base) / MB, ms, outcome };
}

const notice = readFileSync(new URL('../../test/fixtures/notices/tuning/2023-06-single-date-questions.txt', import.meta.url), 'utf8');
const ordinary = await docxOf(notice.repeat(20));
const bomb = await docxBomb(Number(values.gb) * 1024 * MB, 4096);
// Warm both paths once (module loading and JIT are not the file's cost).
await docxToPlanText(await docxOf(notice));
const baseline = await peakGrowth(() => docxToPlanText(ordinary));
const bombed = await peakGrowth(() => checkDocxBounds(bomb));
console.log(
  `ordinary notice .docx (${(ordinary.length / 1024).toFixed(0)} KB): ${baseline.outcome}, peak RSS growth ${baseline.mb.toFixed(1)} MB, ${baseline.ms.toFixed(0)} ms`,
);
console.log(
  `zip bomb .docx (${(bomb.length / 1024).toFixed(0)} KB → ${values.gb} GB inflated): ${bombed.outcome}, peak RSS growth ${bombed.mb.toFixed(1)} MB, ${bombed.ms.toFixed(0)} ms`,
);
console.log(`ratio of peak growth, bomb / ordinary: ${(bombed.mb / Math.max(baseline.mb, 0.1)).toFixed(2)}`);
