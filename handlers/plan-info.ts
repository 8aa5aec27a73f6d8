import { Composer } from '../src/bot/composer.ts';
import type { Content } from '../src/content/content.ts';
import { parseNumber, toChineseNumber } from '../src/content/numerals.ts';
import type { HandlerDeps } from './deps.ts';

/** Themes (学习主题), materials (学习资料), discussion questions (教师/学生讨论题) and requirements (学习要求). */
export type PlanTopic = 'themes' | `theme-${number}` | 'materials' | 'questions-staff' | 'questions-students' | 'questions' | 'requirements';

const FILLER = /^(请问|请|本学期|这学期|我们)?(的)?|(是什么|是哪些|有哪些|有什么|是啥|都有什么|都有哪些|分别是什么|分别是啥|呢|吗)+$/g;
/** What joins two things asked for at once: 学习主题和讨论题, 主题与阅读材料. */
const AND = /以及|和|与|及|跟|、/;
const STAFF = /教师|教职工|老师|教工|职工/;
const STUDENTS = /学生|同学|青年学子/;

/**
 * One plan topic, or undefined. Several topics joined (学习主题和讨论题) are several questions: undefined here, so the
 * multi-question handler answers each in turn; joined audiences (教师和学生讨论题) are one question about both.
 */
export function parsePlanTopic(text: string): PlanTopic | undefined {
  const t = tidy(text);
  const conjuncts = t.split(AND).filter(Boolean);
  if (conjuncts.length > 1 && conjuncts.filter((c) => topicOf(tidy(c))).length > 1) return undefined;
  return topicOf(t);
}

function tidy(text: string): string {
  return text.normalize('NFKC').replace(/[\s?？!！。.,，:：]/g, '').replace(FILLER, '');
}

/** 专题一, 第二个专题, 专题2: one theme by its number. */
const ONE_THEME = /^(?:学习)?(?:专题([一二三四五六七八九十\d]{1,2})|第([一二三四五六七八九十\d]{1,2})个?(?:学习)?专题)(?:讲的?|说的?|讲了|说了)?(?:什么|啥)?(?:内容)?$/;

function topicOf(t: string): PlanTopic | undefined {
  const one = ONE_THEME.exec(t);
  if (one) {
    const n = parseNumber(one[1] ?? one[2]!);
    if (n !== undefined && n >= 1) return `theme-${n}`;
  }
  if (/^(学习)?(主题|专题)$|^学习主题|^学什么专题/.test(t)) return 'themes';
  if (/^(学习|阅读)?(资料|材料|内容|书目|文件)$|^学习资料|^学习材料|^学习文件|^学习内容$|^读什么|^看什么资料|^(要|需要|得)?(学|读|看)(哪些|什么|哪几个?|哪几份)(文件|资料|材料)|^(文件|资料|材料)有哪些/.test(t)) return 'materials';
  if (/(讨论题|讨论的?问题|讨论什么|讨论题目)/.test(t) && t.length <= 12) {
    const staff = STAFF.test(t);
    const students = STUDENTS.test(t);
    if (staff !== students) return staff ? 'questions-staff' : 'questions-students';
    return 'questions';
  }
  if (/^(学习)?要求$|^学习要求|^怎么学$|^有什么要求$/.test(t)) return 'requirements';
  return undefined;
}

export function answerPlanTopic(topic: PlanTopic, content: Content): string {
  const { plan } = content;
  if (topic.startsWith('theme-')) {
    const n = Number(topic.slice('theme-'.length));
    const theme = plan.themes[n - 1];
    if (theme) return `${plan.semester}学习${/^专题/.test(theme) ? theme : `专题${toChineseNumber(n)}：${theme}`}`;
    const count = plan.themes.length === 2 ? '两' : toChineseNumber(plan.themes.length);
    return `${plan.semester}共有${count}个学习专题，没有专题${toChineseNumber(n)}：\n${plan.themes.join('\n')}`;
  }
  const numbered = (items: readonly string[]) => items.map((q, i) => `（${i + 1}）${q}`).join('\n');
  switch (topic) {
    case 'themes':
      return `${plan.semester}学习主题：\n${plan.themes.join('\n')}`;
    case 'materials': {
      const lines = plan.materials.map((m, i) => {
        const doc = m.document ? content.document(m.document) : undefined;
        return `（${i + 1}）《${doc?.title ?? m.title.replace(/[《》]/g, '')}》`;
      });
      const law = content.defaultLaw;
      return `学习资料：\n${lines.join('\n')}\n\n全文都可以问我，例如：“${law?.shortTitle ?? '高等教育法'}第四十七条”、“八项规定第三条”、“时间银行”。`;
    }
    case 'questions-staff':
      return `教师讨论题：\n${numbered(plan.questions.staff)}`;
    case 'questions-students':
      return `学生讨论题：\n${numbered(plan.questions.students)}`;
    case 'questions':
      return `教师讨论题：\n${numbered(plan.questions.staff)}\n\n学生讨论题：\n${numbered(plan.questions.students)}`;
    case 'requirements':
      return `学习要求：\n${plan.requirements.join('\n')}`;
    default:
      return `${plan.semester}学习主题：\n${plan.themes.join('\n')}`;
  }
}

export function planInfo({ content }: HandlerDeps): Composer {
  const bot = new Composer();
  bot.parses('plan-info', parsePlanTopic, (ctx, topic) => ctx.reply(answerPlanTopic(topic, content)));
  return bot;
}
