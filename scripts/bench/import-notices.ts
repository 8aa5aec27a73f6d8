/**
 * npm run bench:import-notices
 *
 * How much of each real notice the importer recognises. For every notice in test/fixtures/notices/held-out/ (never
 * used while writing the importer) it compares ten fields with what a careful reader found, written down before
 * the importer first ran on them (held-out/expected.json): the period, how sessions are given, the number of
 * readings and of readings with a link, themes, discussion questions, requirements, issuer, date and report
 * deadlines. It prints a table and the share of fields right; `--all` adds the tuning part (no expectations:
 * its recognised counts only).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importPlanText } from '../../src/content/import/plan-text.ts';

const DIR = fileURLToPath(new URL('../../test/fixtures/notices/', import.meta.url));
type Fields = {
  period: string | null;
  sessions: string;
  readings: number;
  readingsWithLink: number;
  themes: number;
  questions: number;
  requirements: number;
  issuer: string | null;
  issued: string | null;
  deadlines: number;
};

export function recognisedFields(text: string): Fields {
  const r = importPlanText(text, { id: 'bench' });
  const p = r.plan;
  const month = /^(?:(\d{4})年)?(\d{1,2})月$/.exec(p.semester);
  const period =
    p.period?.kind === 'month'
      ? p.period.from.slice(0, 7)
      : p.period
        ? `${p.period.from}..${p.period.to}`
        : month
          ? `--${month[2]!.padStart(2, '0')}`
          : r.missing.some((m) => m.startsWith('年份'))
            ? `--${/“(\d{1,2})月/.exec(r.missing.join(''))?.[1]?.padStart(2, '0') ?? '?'}`
            : null;
  const s = p.sessions;
  const sessions = r.schedule.length ? 'date' : s?.rules?.length ? 'rule' : s?.by || r.missing.some((m) => /之前|前”/.test(m)) ? 'by' : 'none';
  const q = p.questions ?? {};
  return {
    period,
    sessions,
    readings: p.materials?.length ?? 0,
    readingsWithLink: p.materials?.filter((m) => m.url).length ?? 0,
    themes: p.themes?.length ?? 0,
    questions: (q.staff?.length ?? 0) + (q.students?.length ?? 0) + (q.others ?? []).reduce((k, o) => k + o.items.length, 0),
    requirements: p.requirements?.length ?? 0,
    issuer: p.issuer ?? null,
    issued: p.issued ?? null,
    deadlines: p.deadlines?.length ?? 0,
  };
}

const expected = JSON.parse(readFileSync(path.join(DIR, 'held-out/expected.json'), 'utf8')) as Record<string, Fields>;
let right = 0;
let total = 0;
console.log('held-out notices: recognised fields (✓ as expected, ✗ got/expected)\n');
for (const file of Object.keys(expected).filter((f) => !f.startsWith('_'))) {
  const got = recognisedFields(readFileSync(path.join(DIR, 'held-out', file), 'utf8'));
  const want = expected[file]!;
  const cells = (Object.keys(want) as Array<keyof Fields>).map((k) => {
    total++;
    if (got[k] === want[k]) {
      right++;
      return `✓${k}`;
    }
    return `✗${k}=${got[k]}/${want[k]}`;
  });
  const n = cells.filter((c) => c.startsWith('✓')).length;
  console.log(`${file}: ${n}/${cells.length}\n  ${cells.join(' ')}`);
}
console.log(`\nheld-out: ${right}/${total} fields (${((100 * right) / total).toFixed(0)}%) over ${Object.keys(expected).length - 1} notices`);
if (process.argv.includes('--all')) {
  console.log('\ntuning notices (recognised, no expectations):');
  for (const f of readdirSync(path.join(DIR, 'tuning')).sort())
    console.log(`  ${f}: ${JSON.stringify(recognisedFields(readFileSync(path.join(DIR, 'tuning', f), 'utf8')))}`);
}
