/**
 * npm run import -- FILE [--out DIR] [--check]
 * Turns a study-plan document (.txt text export, or .docx) into content files: plan.yaml, schedule.yaml and
 * documents/*.md in CONTENT_DIR (or --out). Prints what it recognised and what it could not.
 * --check compares with the existing files instead of writing (exit 1 when they differ).
 * Files it does not produce (the roster, broadcast targets) are left alone.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readEnvironment } from '../src/config.ts';
import { docxToPlanText } from '../src/content/import/docx.ts';
import { importPlanText } from '../src/content/import/plan-text.ts';

const { values, positionals } = parseArgs({ options: { out: { type: 'string' }, check: { type: 'boolean' } }, allowPositionals: true });
const file = positionals[0];
if (!file) {
  console.error('用法: npm run import -- 学习计划文件(.txt 或 .docx) [--out 目录] [--check]');
  process.exit(2);
}
const outDir = values.out ?? readEnvironment().CONTENT_DIR ?? './content';
const data = await readFile(file);
let text: string;
if (file.toLowerCase().endsWith('.docx')) {
  const converted = await docxToPlanText(data);
  for (const m of converted.messages) console.log(`  (docx) ${m}`);
  text = converted.text;
} else text = data.toString('utf8');

const result = importPlanText(text);
console.log(`已识别 (recognised):`);
for (const r of result.recognised) console.log(`  ✓ ${r}`);
if (result.problems.length) {
  console.log(`未能识别 (problems):`);
  for (const p of result.problems) console.log(`  ✗ ${p}`);
}
let differs = 0;
for (const [rel, content] of result.files) {
  const target = path.join(outDir, rel);
  if (values.check) {
    const existing = await readFile(target, 'utf8').catch(() => undefined);
    if (existing !== content) {
      differs++;
      console.log(`  ≠ ${target}`);
    }
  } else {
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
    console.log(`  → ${target}`);
  }
}
if (values.check) console.log(differs ? `${differs} 个文件与导入结果不同` : '内容与导入结果一致');
process.exitCode = result.problems.length || differs ? 1 : 0;
