/**
 * npm run import -- FILE [--content DIR] [--dry-run] [--id ID] [--year YYYY] [--week1 YYYY-MM-DD] [--laws PATH]
 * npm run import -- FILE --seed [--check]
 *
 * Adds a study notice (.txt, .docx, or - for text pasted on stdin) as one more plan of the content folder
 * (CONTENT_DIR, or --content): plans/<id>/plan.yaml, schedule.yaml when it gives dates, documents/ for full texts.
 * The plans, roster and targets already there are kept; the folder is loaded and checked afterwards, as the service
 * would at start-up. It prints what it recognised, what it could not place and what the notice does not say.
 * A national law named as a reading gets its text (and version date) from the law library: --laws, else LAWS_CORPUS
 * (the LawRefBook-format .tar.gz or folder). --dry-run prints the files instead of writing them. --seed writes the plan at the top of the folder instead (the
 * seed plan); --check then compares with the files there (exit 1 when they differ).
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvironment } from '../src/config.ts';
import { loadContent } from '../src/content/content.ts';
import { docxToPlanText } from '../src/content/import/docx.ts';
import { planIdFor } from '../src/content/import/plan-id.ts';
import { openLawLibrary } from '../src/content/import/law-library.ts';
import { importPlanText } from '../src/content/import/plan-text.ts';

const { values, positionals } = parseArgs({
  options: {
    content: { type: 'string' },
    out: { type: 'string' },
    'dry-run': { type: 'boolean' },
    id: { type: 'string' },
    year: { type: 'string' },
    week1: { type: 'string' },
    seed: { type: 'boolean' },
    check: { type: 'boolean' },
    laws: { type: 'string' },
  },
  allowPositionals: true,
});
const file = positionals[0];
if (!file) {
  console.error(
    '用法: npm run import -- 通知文件(.txt 或 .docx，- 表示从标准输入粘贴) [--content 目录] [--dry-run] [--id 计划id] [--year 年份] [--week1 第1周的星期一]',
  );
  process.exit(2);
}
const contentDir = values.content ?? values.out ?? readEnvironment().CONTENT_DIR ?? './content';
const data = file === '-' ? await readStdin() : await readFile(file);
let text: string;
if (file.toLowerCase().endsWith('.docx')) {
  const converted = await docxToPlanText(data);
  for (const m of converted.messages) console.log(`  (docx) ${m}`);
  text = converted.text;
} else text = data.toString('utf8');

// What the folder holds already: its documents keep their ids and names when a text is imported again.
const existing = await loadContent(contentDir).catch((err: Error) => {
  if (values.seed) return undefined;
  console.error(`内容目录 ${contentDir} 无法读取：${err.message}`);
  process.exit(1);
});
const known = existing?.documents.map((d) => ({ id: d.id, title: d.title, shortTitle: d.shortTitle, aliases: d.aliases })) ?? [];
const year = values.year ? Number(values.year) : undefined;
const lawsAt = values.laws ?? (process.env.LAWS_CORPUS || undefined);
const laws = lawsAt ? openLawLibrary(lawsAt) : undefined;
process.on('exit', () => laws?.close());
const options = { known, ...(year ? { year } : {}), ...(values.week1 ? { week1Monday: values.week1 } : {}), ...(laws ? { laws } : {}) };
const first = importPlanText(text, options);
const id = values.seed ? undefined : (values.id ?? planIdFor(first.plan, text));
const result = id ? importPlanText(text, { ...options, id }) : first;
const planDir = id ? path.join(contentDir, 'plans', id) : contentDir;

console.log(`已识别 (recognised):`);
for (const r of result.recognised) console.log(`  ✓ ${r}`);
if (result.problems.length) {
  console.log(`未能归类 (could not place):`);
  for (const p of result.problems) console.log(`  ✗ ${p}`);
}
if (result.missing.length) {
  console.log(`通知中没有写明 (missing):`);
  for (const m of result.missing) console.log(`  ? ${m}`);
}

if (id && !values['dry-run'] && (await stat(planDir).catch(() => undefined))) {
  console.error(`计划 ${id} 已存在（${planDir}）。请用 --id 指定另一个 id，或先删除该目录。`);
  process.exit(1);
}
let differs = 0;
for (const [rel, content] of result.files) {
  const target = path.join(planDir, rel);
  if (values.check) {
    const current = await readFile(target, 'utf8').catch(() => undefined);
    if (current !== content) {
      differs++;
      console.log(`  ≠ ${target}`);
    }
  } else if (values['dry-run']) console.log(`\n--- ${target} (dry run, not written)\n${content}`);
  else {
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    console.log(`  → ${target}`);
  }
}
if (values.check) console.log(differs ? `${differs} 个文件与导入结果不同` : '内容与导入结果一致');
if (!values.check && !values['dry-run']) {
  // Load the folder as the service will, so a plan that cannot be served is found now.
  const content = await loadContent(contentDir);
  console.log(`\n内容目录 ${contentDir} 现有 ${content.plans.length} 个学习计划：`);
  for (const p of content.plans)
    console.log(
      `  · ${p.plan.id ?? '（种子计划）'} ${p.plan.title}：${p.coverage ? `${p.coverage.from} 至 ${p.coverage.to ?? '下一个计划开始前'}` : '未写明时间'}`,
    );
}
process.exitCode = values.check && (result.problems.length || differs) ? 1 : 0;

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
