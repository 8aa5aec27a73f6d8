import { Composer } from '../src/bot/composer.ts';
import type { Content } from '../src/content/content.ts';
import { parseNumber, toChineseNumber } from '../src/content/numerals.ts';
import type { HandlerDeps } from './deps.ts';
import { coverageText, currentPlan, notCurrentNote, sessionsText } from './plan-days.ts';

/** Themes (学习主题), materials (学习资料), discussion questions (教师/学生讨论题) and requirements (学习要求). */
export type PlanTopic =
  'themes' | `theme-${number}` | 'materials' | 'questions-staff' | 'questions-students' | 'questions' | 'requirements' | 'when' | 'issuer' | 'plans';

const FILLER =
  /^(请问|请|本学期|这学期|我们)?(的)?(都)?(有哪些|有什么|有啥)?|(是什么|是哪些|有哪些|有什么|是啥|都有什么|都有哪些|分别是什么|分别是啥|呢|吗)+$/g;
/** What joins two things asked for at once: 学习主题和讨论题, 主题与阅读材料. */
const AND = /以及|和|与|及|跟|、/;
const STAFF = /教师|教职工|老师|教工|职工/;
const STUDENTS = /学生|同学|青年学子/;

/**
 * One plan topic, or undefined. Several topics joined (学习主题和讨论题) are several questions: undefined here, so the
 * multi-question handler answers each in turn; joined audiences (教师和学生讨论题) are one question about both.
 */
export function parsePlanTopic(text: string): PlanTopic | undefined {
  // Read before tidying, which drops the 有哪些 that makes 学习计划有哪些 a question about the plans, not one plan.
  if (PLAN_LIST.test(text.normalize('NFKC').replace(/[\s?？!！。.,，:：]/g, ''))) return 'plans';
  const t = tidy(text);
  const conjuncts = t.split(AND).filter(Boolean);
  if (conjuncts.length > 1 && conjuncts.filter((c) => topicOf(tidy(c))).length > 1) return undefined;
  return topicOf(t);
}

function tidy(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s?？!！。.,，:：]/g, '')
    .replace(FILLER, '');
}

/**
 * The plans themselves, several: 学习计划有哪些, 有几个学习计划, 导入了哪些学习通知, 所有学习计划, 计划列表. Not one plan's
 * content (学习计划, 这学期的学习计划: the plan of today) nor its schedule (学习安排有哪些).
 */
const PLAN_LIST = new RegExp(
  [
    '^(?:请问)?(?:现在|目前|一共|总共|共)?(?:都)?(?:有|导入了?|加载了?|收录了?)?(?:几个|几份|多少个?|哪些|哪几个|哪几份)(?:学习)?(?:计划|通知)(?:呢|啊|呀|吗)?$',
    '^(?:所有|全部)的?(?:学习)?(?:计划|通知)$',
    '^(?:学习)?(?:计划|通知)(?:一共|总共|都)?(?:有)(?:哪些|哪几个|几个|多少个?)(?:呢|啊|呀)?$',
    '^(?:学习)?(?:计划|通知)列表$',
  ].join('|'),
);

/**
 * The plans loaded, by the day each begins: title and period, the one covering today marked (none outside them all,
 * said so). `today` unknown: unmarked.
 */
export function answerPlanList(content: Content, today?: string): string {
  const plans = content.plans;
  const lines = plans.map((p) => `· 《${p.plan.title}》：${coverageText(p)}${today && p.covers(today) ? '（当前）' : ''}`);
  const outside = today && !plans.some((p) => p.covers(today)) ? ['今天不在任何学习计划的时间内。'] : [];
  return [`学习助手中共有 ${plans.length} 个学习计划：`, ...lines, ...outside, '问某一天的安排（如“3月7日学什么”）时，按覆盖那一天的学习计划回答。'].join('\n');
}

/** 专题一, 第二个专题, 专题2: one theme by its number. */
const ONE_THEME =
  /^(?:学习)?(?:专题([一二三四五六七八九十\d]{1,2})|第([一二三四五六七八九十\d]{1,2})个?(?:学习)?专题)(?:讲的?|说的?|讲了|说了)?(?:什么|啥)?(?:内容)?$/;

function topicOf(t: string): PlanTopic | undefined {
  const one = ONE_THEME.exec(t);
  if (one) {
    const n = parseNumber(one[1] ?? one[2]!);
    if (n !== undefined && n >= 1) return `theme-${n}`;
  }
  if (/^(学习)?的?(主题|专题)$|^学习的?(主题|专题)|^学(什么|啥|哪些)(主题|专题)/.test(t)) return 'themes';
  if (
    /^(学习|阅读)?(资料|材料|内容|书目|文件)$|^学习资料|^学习材料|^学习文件|^学习内容$|^读什么|^看什么资料|^(学生|同学|老师|教师|教职工)?(要|需要|得)?(学|读|看)(哪些|那些|什么|啥|哪几个?|哪几份|哪几篇|哪篇)(文件|资料|材料|文章)|^(学习|阅读)(资料|材料|文件|文章)|^(文件|资料|材料|文章)有哪些/.test(
      t,
    )
  )
    return 'materials';
  if (/(讨论题|讨论的?问题|讨论什么|讨论题目)/.test(t) && t.length <= 12) {
    const staff = STAFF.test(t);
    const students = STUDENTS.test(t);
    if (staff !== students) return staff ? 'questions-staff' : 'questions-students';
    return 'questions';
  }
  // Who organises the study is said in the requirements (各学习组集中学习 …).
  if (
    /^(学习)?要求$|^学习要求|^怎么学$|^有什么要求$|^学习(有|有什么|有啥|有哪些|都有哪些)要求|^谁(负责)?(组织|安排|主持)学习|^学习(由谁|谁来?)(组织|负责|安排)|^(什么时候|何时|哪天)(报送|上报|交材料|截止)|^报送截止/.test(
      t,
    )
  )
    return 'requirements';
  if (/^(学习计划|学习安排|学习通知|通知|计划)?(是)?(谁|哪个单位|哪个部门|什么单位)(发|印发|下发|制定)的?$|^发文(单位|部门|机关)$/.test(t)) return 'issuer';
  if (/^(学习时间|什么时候学习?|啥时候学习?|何时学习|哪天学习|几号学习|学习是哪天|学习日期)$/.test(t)) return 'when';
  return undefined;
}

/** An example of asking for an article of one of the plan's readings ("某某法第一条"), when one has articles. */
export function articleExample(content: Content): string | undefined {
  const doc = content.plan.materials
    .map((m) => (m.document ? content.document(m.document) : undefined))
    .find((d) => d && d.numbering !== 'sections' && d.units.some((u) => u.number === 1));
  return doc ? `${doc.shortTitle}第${doc.numbering === 'articles' ? '一条' : '一条'}` : undefined;
}

function numbered(items: readonly string[]): string {
  return items.map((q, i) => `（${i + 1}）${q}`).join('\n');
}

function questionsOf(plan: Content['plan'], who: 'staff' | 'students' | 'all'): string {
  const { staff, students, others } = plan.questions;
  const parts: string[] = [];
  if (who !== 'students') parts.push(staff.length ? `教师讨论题：\n${numbered(staff)}` : who === 'staff' ? '这份学习通知没有列出教师讨论题。' : '');
  if (who !== 'staff') parts.push(students.length ? `学生讨论题：\n${numbered(students)}` : who === 'students' ? '这份学习通知没有列出学生讨论题。' : '');
  // Questions for another audience, or for everyone, are shown whoever asks.
  for (const o of others) parts.push(`${o.audience === '全体' ? '' : o.audience}讨论题：\n${numbered(o.items)}`);
  const text = parts.filter(Boolean).join('\n\n');
  return text || '这份学习通知没有列出讨论题。';
}

export function answerPlanTopic(topic: PlanTopic, content: Content): string {
  const { plan } = content;
  if (topic.startsWith('theme-')) {
    const n = Number(topic.slice('theme-'.length));
    const theme = plan.themeDetails[n - 1];
    if (theme) {
      const title = /^(专题|主题|第)/.test(theme.title) ? theme.title : `专题${toChineseNumber(n)}：${theme.title}`;
      return [`${plan.semester}学习${title}`, ...(theme.focus ? [`学习重点：${theme.focus}`] : []), ...theme.links.map((l) => `参考资料：${l}`)].join('\n');
    }
    if (!plan.themes.length) return `${plan.semester}的学习通知没有分专题。`;
    const count = plan.themes.length === 2 ? '两' : toChineseNumber(plan.themes.length);
    return `${plan.semester}共有${count}个学习专题，没有专题${toChineseNumber(n)}：\n${plan.themes.join('\n')}`;
  }
  switch (topic) {
    case 'plans':
      return answerPlanList(content);
    case 'themes': {
      if (!plan.themes.length) return `${plan.semester}的学习通知没有列出学习主题。发送“学习资料”查看学习内容。`;
      const withFocus = plan.themeDetails.some((t) => t.focus || t.links.length);
      const lines = plan.themeDetails.map((t) =>
        withFocus ? [t.title, ...(t.focus ? [`学习重点：${t.focus}`] : []), ...t.links.map((l) => `参考资料：${l}`)].join('\n') : t.title,
      );
      return `${plan.semester}学习主题：\n${lines.join(withFocus ? '\n\n' : '\n')}`;
    }
    case 'materials': {
      if (!plan.materials.length) return `${plan.semester}的学习通知没有列出学习资料。${plan.themes.length ? '发送“学习主题”查看学习主题和参考资料。' : ''}`;
      const lines: string[] = [];
      let group: string | undefined;
      plan.materials.forEach((m, i) => {
        if (m.group && m.group !== group) lines.push(`【${m.group}】`);
        group = m.group;
        const doc = m.document ? content.document(m.document) : undefined;
        lines.push(`（${i + 1}）${doc ? `《${doc.title}》` : m.title}${m.url ? `\n  ${m.url}` : ''}`);
      });
      const withText = plan.materials.filter((m) => m.document);
      const example = articleExample(content);
      const tail = withText.length
        ? `\n\n有全文的资料都可以问我${example ? `，例如：“${example}”` : ''}。`
        : '\n\n这些资料的全文不在学习助手中，有链接的请打开链接阅读。';
      return `学习资料：\n${lines.join('\n')}${tail}`;
    }
    case 'questions-staff':
      return questionsOf(plan, 'staff');
    case 'questions-students':
      return questionsOf(plan, 'students');
    case 'questions':
      return questionsOf(plan, 'all');
    case 'requirements': {
      const deadlines = plan.deadlines.map((d) => `· ${d.text}`);
      if (!plan.requirements.length && !deadlines.length) return `${plan.semester}的学习通知没有写学习要求。`;
      return [
        ...(plan.requirements.length ? [`学习要求：\n${plan.requirements.join('\n')}`] : []),
        ...(deadlines.length ? [`报送截止：\n${deadlines.join('\n')}`] : []),
      ].join('\n\n');
    }
    case 'issuer':
      return plan.issuer
        ? `《${plan.title}》由${plan.issuer}${plan.issued ? `于${plan.issued.slice(0, 4)}年${Number(plan.issued.slice(5, 7))}月${Number(plan.issued.slice(8, 10))}日` : ''}印发。`
        : `这份学习通知没有写发文单位（${plan.title}）。`;
    case 'when':
      return `${plan.title}（${coverageText(content)}）\n学习时间：${sessionsText(content)}`;
    default:
      return `${plan.semester}学习主题：\n${plan.themes.join('\n')}`;
  }
}

export function planInfo({ content }: HandlerDeps): Composer {
  const bot = new Composer();
  bot.parses('plan-info', parsePlanTopic, (ctx, topic) => {
    // The plan of today; outside every plan, the next one (or the latest), said so.
    const today = ctx.understood.today;
    if (topic === 'plans') return ctx.reply(answerPlanList(content, today));
    const plan = currentPlan(content, today);
    return ctx.reply(notCurrentNote(plan, today) + answerPlanTopic(topic, plan));
  });
  return bot;
}
