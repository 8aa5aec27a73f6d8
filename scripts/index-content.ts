/**
 * npm run index [-- DIR]
 * Loads and checks the content (as the service does at start-up) and prints what was found.
 * Exit 1 with the file, line and field when the content is broken.
 */
import { readEnvironment } from '../src/config.ts';
import { loadContent } from '../src/content/content.ts';
import { formatDateWithWeekday } from '../src/content/dates.ts';
import { AppError } from '../src/errors.ts';

const dir = process.argv[2] ?? readEnvironment().CONTENT_DIR ?? './content';
try {
  const started = performance.now();
  const content = await loadContent(dir);
  const ms = performance.now() - started;
  const { plan } = content;
  console.log(`${plan.title}（${plan.issuer ?? '发文单位未写明'}，${plan.issued ?? '日期未写明'}）`);
  console.log(
    `第 1 周从 ${plan.week1Monday} 开始；学习主题 ${plan.themes.length} 个；讨论题 教师 ${plan.questions.staff.length} 道、学生 ${plan.questions.students.length} 道`,
  );
  console.log(`\n时间安排 ${content.schedule.length} 项，${content.summary().weeks} 周：`);
  for (const e of content.schedule) {
    console.log(
      `  第${e.week}周 ${formatDateWithWeekday(e.date)} ${e.activity}（${e.organisers.join('、')}）${e.note ? ` ${e.note}` : ''}${e.needsRecord ? ' [需交记录]' : ''}`,
    );
  }
  console.log(`\n学习计划 ${content.plans.length} 个：`);
  for (const p of content.plans) {
    const c = p.coverage;
    const missing = p.plan.missing.length ? `；通知中没有：${p.plan.missing.join('、')}` : '';
    console.log(
      `  ${p.plan.id ?? '（种子计划）'} ${p.plan.title}：${c ? `${c.from} 至 ${c.to ?? '下一个计划开始前'}` : '未写明时间'}；日期 ${p.schedule.length} 个，资料 ${p.plan.materials.length} 份${missing}`,
    );
  }
  console.log(`\n文档 ${content.documents.length} 份：`);
  for (const d of content.documents) {
    const numbered = d.units.filter((u) => u.number !== undefined).length;
    const what =
      d.numbering === 'sections' ? `${d.chapters.length} 部分，${d.units.length} 段` : `${d.chapters.length ? `${d.chapters.length} 章，` : ''}${numbered} 条`;
    console.log(`  《${d.title}》 ${what}  [${d.file}; 简称：${[d.shortTitle, ...d.aliases].filter((v, i, a) => a.indexOf(v) === i).join('、')}]`);
  }
  console.log(`\n检索单元 ${content.search.size} 个；加载与建索引用时 ${ms.toFixed(0)} ms`);
} catch (err) {
  console.error(err instanceof AppError ? `内容有误：${err.message}` : err);
  process.exit(1);
}
