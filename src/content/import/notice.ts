import { isValidDate, weekdayOf, type WeekdayName } from '../dates.ts';
import type { Deadline, Material, SessionRule, Theme } from '../plan.ts';

/**
 * Reads a study notice's text the way a person does: the title and the lines around the addressee at the start,
 * the issuer and date at the start or the end, numbered sections under the usual headings (学习时间, 学习内容,
 * 学习主题, 学习形式, 学习要求 …), nested items ((一), 1., (1), ①), labelled lines (教师讨论题：(1)…(2)…, 主题一：,
 * 学习重点：, 参考资料：URL), and the days, rules and deadlines written in them. What it cannot place it lists; it
 * never fills a gap by guessing. A schedule table (tab-led lines) and the full texts after the notice are handed
 * back untouched for ./schedule-table.ts and ./full-texts.ts.
 */
export interface NoticeReading {
  title?: string;
  issuer?: string;
  /** ISO date, or the year and month only ("2009-08") when the notice dates itself so. */
  issued?: string;
  /** The period the notice names: a month (year may be unknown) or a school-year semester. */
  month?: { year?: number; month: number; toMonth?: number; toYear?: number };
  semesterLabel?: string;
  /** The activity the notice is about, in its words (政治理论学习, 主题党日活动, 理论学习中心组学习). */
  activity: string;
  dates: Array<{ date: string; text: string } & SessionDetail>;
  /** Dates written without a year, kept until the year is known. */
  datesWithoutYear: Array<{ month: number; day: number; text: string; by: boolean } & SessionDetail>;
  by?: string;
  rules: SessionRule[];
  timeNote?: string;
  themes: Theme[];
  /** The seed's 学习主题 section: one theme per line, kept as written. */
  themeLines: string[];
  materials: Material[];
  questions: { staff: string[]; students: string[]; others: Array<{ audience: string; items: string[] }> };
  requirements: string[];
  forms: string[];
  deadlines: Array<Deadline & { month?: number; day?: number }>;
  /** Lines of a schedule table (tab-led), for ./schedule-table.ts. */
  table: string[];
  /** The lines after the notice that hold the readings' full texts (学 习 资 料). */
  fullTexts: string[];
  recognised: string[];
  unplaced: string[];
}

/** What a dated line says about its session besides the day: its activity's name, and its time of day and place. */
export interface SessionDetail {
  activity?: string;
  note?: string;
}

const CN = '一二三四五六七八九十';
const SECTION = new RegExp(`^([${CN}]+)\\s*[、.．]\\s*(.+)$`);
const GROUP = new RegExp(`^[（(]([${CN}]+)[）)]\\s*(.+)$`);
const ITEM = /^(\d{1,2})\s*(?:[.．、]\s*、?|[)）])\s*(.*)$/;
const SUB = /^[（(](\d{1,2})[）)]\s*(.+)$/;
const CIRCLED = /^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*(.+)$/;
const URL_ONLY = /^(?:网址|链接)?[:：]?\s*(https?:\/\/\S+)$/;
const FULL_TEXTS_START = /^学\s*习\s*(资\s*料|材\s*料)$/;
const QUESTIONS = /^(教师|教职工|老师|学生|党员|师生|中心组|全体)?(?:学习)?(讨论题|讨论思考题|思考题|研讨题|讨论题目)\s*(?:[:：]\s*(.*))?$/;
const READINGS_LABEL = /^(学习资料|学习材料|学习篇目|学习文件|阅读材料)\s*[:：]\s*(.*)$/;
const LINKS_LABEL = /^(参考资料|参考链接|学习参考链接|学习链接|链接|网址)\s*[:：]\s*(.*)$/;
const THEME = new RegExp(`^((?:学习)?(?:主题|专题)[${CN}\\d]+|第[${CN}]+(?:个)?专题)\\s*[:：]\\s*(.+)$`);
const FOCUS = /^(学习重点|学习目的|学习要点|重点)\s*[:：]\s*(.+)$/;
const TIME_LABEL = /^(学习时间|活动时间|时间安排|时间)\s*[:：]\s*(.+)$/;
const ADDRESSEE = /^各[^。]{1,40}[:：]$/;
const DATE_LINE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/;
const CN_DATE_LINE = /^([一二三四五六七八九〇○零]{4})年([一二三四五六七八九十]{1,2})月(?:([一二三四五六七八九十]{1,3})日)?$/;
/** An issuer line: short, no sentence punctuation, ending in the name of a body. */
const ISSUER = /^[^，。,;；:：]{2,30}(部|委|委员会|处|室|办|办公室|支部|总支|党委|中心|学院|组|工委|党组)$/;
const SOURCE_LINE = /(?:来源|文章来源)\s*[:：]\s*(\S+)|(?:日期|发布时间|发布日期)\s*[:：]\s*(\d{4})-(\d{2})-(\d{2})/g;

type SectionKind = 'time' | 'themes' | 'content' | 'form' | 'requirements' | 'other' | 'none';

function sectionKind(heading: string): SectionKind {
  const h = heading.replace(/[:：\s]+$/, '');
  if (/要求/.test(h) && !/内容/.test(h)) return 'requirements';
  if (/时间/.test(h)) return 'time';
  if (/(主题|专题)$/.test(h) && !/内容/.test(h)) return 'themes';
  if (/内容|篇目|资料|材料|学习重点/.test(h)) return 'content';
  if (/形式|方式|对象|方法/.test(h)) return 'form';
  return 'other';
}

/** A heading rather than an item: short, without a sentence's punctuation. */
function headingLike(text: string, max = 24): boolean {
  return [...text].length <= max && !/[。；;，,]/.test(text.replace(/[:：]$/, ''));
}

const CN_DIGITS: Record<string, number> = { '〇': 0, '○': 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
function cnYear(s: string): number {
  return Number([...s].map((c) => CN_DIGITS[c] ?? 0).join(''));
}
function cnSmall(s: string): number {
  if (s === '十') return 10;
  const [a, b] = s.split('十');
  if (b === undefined) return CN_DIGITS[s] ?? NaN;
  return (a ? (CN_DIGITS[a] ?? 0) : 1) * 10 + (b ? (CN_DIGITS[b] ?? 0) : 0);
}

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

export function readNotice(source: string): NoticeReading {
  const lines = source.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n').split('\n');
  const r: NoticeReading = {
    activity: '学习',
    dates: [],
    datesWithoutYear: [],
    rules: [],
    themes: [],
    themeLines: [],
    materials: [],
    questions: { staff: [], students: [], others: [] },
    requirements: [],
    forms: [],
    deadlines: [],
    table: [],
    fullTexts: [],
    recognised: [],
    unplaced: [],
  };

  // The full texts after the notice (学 习 资 料 on a line of its own, after a section).
  let end = lines.length;
  let sawSection = false;
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (SECTION.test(t) && headingLike(SECTION.exec(t)![2]!)) sawSection = true;
    else if (sawSection && FULL_TEXTS_START.test(t) && /\s/.test(t)) {
      end = i;
      r.fullTexts = lines.slice(i + 1);
      break;
    }
  }
  const body = lines.slice(0, end);

  // The issuer and date at the end: a date line, the issuer on the line above it.
  const nonEmpty = body.map((l, i) => ({ t: l.trim(), i })).filter((x) => x.t);
  const taken = new Set<number>();
  const last = nonEmpty.at(-1);
  if (last) {
    const d = DATE_LINE.exec(last.t);
    const c = CN_DATE_LINE.exec(last.t);
    if (d && isValidDate(iso(+d[1]!, +d[2]!, +d[3]!))) r.issued = iso(+d[1]!, +d[2]!, +d[3]!);
    else if (c) r.issued = c[3] ? iso(cnYear(c[1]!), cnSmall(c[2]!), cnSmall(c[3])) : `${cnYear(c[1]!)}-${String(cnSmall(c[2]!)).padStart(2, '0')}`;
    if (d || c) {
      taken.add(last.i);
      const above = nonEmpty.at(-2);
      if (above && ISSUER.test(above.t)) {
        r.issuer = above.t;
        taken.add(above.i);
      }
      r.recognised.push(`文末落款：${r.issuer ?? '（无发文单位）'} ${r.issued}`);
    }
  }

  let kind: SectionKind = 'none';
  let heading = '';
  let group: string | undefined;
  /** The numbered item just read in a content section: it becomes a group if sub-items follow it. */
  let lastItem: { material: Material; level: 'item' | 'sub' } | undefined;
  let itemGroup: string | undefined;
  let questionsFor: string | undefined;
  let theme: Theme | undefined;
  let pendingHeading: string | undefined;
  let leadIn: 'requirements' | 'content' | undefined;
  let seenBody = false;
  let preamble = true;

  const addQuestion = (audience: string, q: string) => {
    const text = q.trim().replace(/^[（(]?\d{1,2}[）).．、]\s*/, '');
    if (!text) return;
    if (/^(教师|教职工|老师)$/.test(audience)) r.questions.staff.push(text);
    else if (audience === '学生') r.questions.students.push(text);
    else {
      const name = audience || '全体';
      const list = r.questions.others.find((o) => o.audience === name) ?? (r.questions.others.push({ audience: name, items: [] }), r.questions.others.at(-1)!);
      list.items.push(text);
    }
  };
  /** 教师讨论题：(1)…？(2)…？ on one line: each numbered part is a question. */
  const splitInline = (rest: string) =>
    rest
      .split(/(?=[（(]\d{1,2}[）)])|(?=(?<=[？?。；;])\s*\d{1,2}[.．、])/)
      .map((s) => s.trim())
      .filter(Boolean);
  const addMaterial = (title: string, level: 'item' | 'sub') => {
    const t = title.replace(/[；;。，,]$/, '').trim();
    if (!t) return;
    const urlIn = /(https?:\/\/\S+)/.exec(t);
    const material: Material = { title: urlIn ? t.replace(urlIn[1]!, '').replace(/[:：\s]+$/, '') || urlIn[1]! : t };
    if (urlIn) material.url = urlIn[1]!;
    const g = [group, level === 'sub' ? itemGroup : undefined].filter(Boolean).join(' › ');
    if (g) material.group = g;
    r.materials.push(material);
    lastItem = { material, level };
  };
  const addRequirement = (text: string) => {
    const t = pendingHeading ? `${pendingHeading.replace(/[:：。]$/, '')}：${text}` : text;
    pendingHeading = undefined;
    r.requirements.push(t);
  };
  const flushHeading = () => {
    if (pendingHeading) r.requirements.push(pendingHeading);
    pendingHeading = undefined;
  };
  const unplaced = (t: string) => r.unplaced.push(`${heading || '正文'}中未能识别的一行：${t}`);

  for (let i = 0; i < body.length; i++) {
    const raw = body[i]!;
    if (taken.has(i)) continue;
    if (raw.startsWith('\t') && kind === 'time') {
      r.table.push(raw);
      continue;
    }
    const t = raw.trim();
    if (!t) continue;
    if (kind === 'time' && r.table.length && !SECTION.test(t)) {
      // A line continuing a table cell (a second organiser, a note).
      r.table.push(raw);
      continue;
    }
    findDeadline(t, r);

    // The start: title, source line, seed header, addressee, introduction.
    if (preamble) {
      const sec = SECTION.exec(t);
      const startsBody = (sec && headingLike(sec[2]!)) || ITEM.test(t) || GROUP.test(t) || THEME.test(t) || QUESTIONS.test(t);
      if (!startsBody) {
        readPreambleLine(t, r, i === nonEmpty[0]?.i);
        if (/(如下|以下)[^。]*[:：。]?$/.test(t) || /[:：]$/.test(t)) leadIn = /要求/.test(t) ? 'requirements' : 'content';
        continue;
      }
      preamble = false;
    }

    const sec = SECTION.exec(t);
    if (sec && headingLike(sec[2]!)) {
      flushHeading();
      const [title, rest] = sec[2]!.split(/[:：](.*)/s) as [string, string | undefined];
      heading = title.trim();
      kind = sectionKind(heading);
      group = undefined;
      itemGroup = undefined;
      lastItem = undefined;
      questionsFor = undefined;
      theme = undefined;
      seenBody = true;
      r.recognised.push(`第${sec[1]}部分“${heading}”（${KIND_NAMES[kind]}）`);
      if (rest?.trim()) handlePlain(rest.trim());
      continue;
    }

    // Labelled lines mean the same in any section.
    const q = QUESTIONS.exec(t);
    if (q && (q[3] !== undefined || /题$/.test(t))) {
      // A heading above the labels (1.学习讨论题) only names them.
      pendingHeading = undefined;
      const audience = q[1] ?? '';
      const inline = splitInline(q[3] ?? '');
      for (const part of inline) addQuestion(audience, part);
      // Questions on the label's line are all of them; otherwise the numbered lines below are.
      questionsFor = inline.length ? undefined : audience;
      continue;
    }
    const th = THEME.exec(t);
    if (th) {
      const [titlePart, ...extra] = t.split(/\s+(?=时间[:：]|主讲[:：]|地点[:：])/);
      theme = { title: titlePart!.trim(), links: [] };
      lastItem = undefined;
      if (extra.length) theme.focus = extra.join(' ');
      r.themes.push(theme);
      questionsFor = undefined;
      continue;
    }
    const focus = FOCUS.exec(t);
    if (focus) {
      if (theme) theme.focus = theme.focus ? `${theme.focus}\n${focus[2]!}` : focus[2]!;
      else unplaced(t);
      continue;
    }
    const links = LINKS_LABEL.exec(t);
    if (links) {
      const urls = links[2]!.match(/https?:\/\/\S+/g) ?? [];
      // A link belongs to what was read last: the theme (a theme clears the last reading) or the reading.
      if (urls.length && theme && !lastItem) theme.links.push(...urls);
      else if (urls.length && lastItem) lastItem.material.url ??= urls[0]!;
      else if (links[2]!.trim()) unplaced(t);
      continue;
    }
    const readings = READINGS_LABEL.exec(t);
    if (readings) {
      questionsFor = undefined;
      kind = kind === 'none' ? 'content' : kind;
      group = undefined;
      if (readings[2]!.trim()) addMaterial(readings[2]!, 'item');
      continue;
    }
    const url = URL_ONLY.exec(t);
    if (url) {
      if (lastItem && !lastItem.material.url) lastItem.material.url = url[1]!;
      else if (theme) theme.links.push(url[1]!);
      else unplaced(t);
      continue;
    }
    const time = TIME_LABEL.exec(t);
    if (time && kind !== 'requirements') {
      readTime(time[2]!, r);
      continue;
    }

    const g = GROUP.exec(t);
    if (g) {
      questionsFor = undefined;
      if (kind === 'content' || (kind === 'none' && leadIn !== 'requirements')) {
        if (headingLike(g[2]!, 30)) {
          group = g[2]!.replace(/[:：]$/, '').trim();
          itemGroup = undefined;
          lastItem = undefined;
        } else {
          // (一)深入学习…精神。2024年10月28日…: a reading whose first sentence is its title.
          addMaterial(g[2]!.split(/(?<=。)/)[0]!.replace(/。$/, ''), 'item');
        }
      } else handleItem(g[2]!);
      continue;
    }
    const item = ITEM.exec(t) ?? CIRCLED.exec(t);
    // A numbered sentence that asks nothing ends the list of questions.
    if (item && questionsFor !== undefined && !/[？?]/.test(item[2]!) && /。/.test(item[2]!)) questionsFor = undefined;
    if (item && item[2]!.trim()) {
      if (questionsFor !== undefined) {
        addQuestion(questionsFor, item[2]!);
        continue;
      }
      if (kind === 'content' || (kind === 'none' && leadIn === 'content')) {
        itemGroup = undefined;
        const [first] = item[2]!.split(/(?<=。)(?=.{20,})/);
        addMaterial(first!.replace(/。$/, ''), 'item');
      } else handleItem(item[2]!);
      continue;
    }
    const sub = SUB.exec(t);
    if (sub) {
      if (questionsFor !== undefined) {
        addQuestion(questionsFor, sub[2]!);
        continue;
      }
      if (kind === 'content' || kind === 'none') {
        // (1) under 1.: the item was a group's name.
        if (lastItem?.level === 'item') {
          r.materials.splice(r.materials.indexOf(lastItem.material), 1);
          itemGroup = lastItem.material.title;
        }
        addMaterial(sub[2]!, 'sub');
      } else handleItem(sub[2]!);
      continue;
    }
    handlePlain(t);
  }
  flushHeading();
  if (!seenBody && r.materials.length === 0 && r.requirements.length === 0) r.unplaced.push('未找到编号的部分（如“一、学习内容”）');
  r.activity = activityOf(`${r.title ?? ''}\n${body.join('\n')}`);
  return r;

  function handleItem(text: string) {
    switch (kind) {
      case 'requirements':
        if (headingLike(text, 12)) {
          flushHeading();
          pendingHeading = text;
        } else {
          flushHeading();
          addRequirement(text);
        }
        return;
      case 'time':
        readTime(text, r);
        return;
      case 'themes':
        r.themes.push((theme = { title: text, links: [] }));
        return;
      case 'form':
        r.forms.push(text);
        return;
      case 'none':
        if (leadIn === 'requirements') {
          if (headingLike(text, 12)) {
            flushHeading();
            pendingHeading = text;
          } else addRequirement(text);
          return;
        }
        unplaced(text);
        return;
      default:
        if (kind === 'other' && SESSION_LINE.test(text)) readTime(text, r);
        else unplaced(text);
    }
  }

  function handlePlain(t: string) {
    switch (kind) {
      case 'requirements':
        if (pendingHeading || !/[:：]$/.test(t)) addRequirement(t);
        else pendingHeading = t;
        return;
      case 'time':
        readTime(t, r);
        return;
      case 'themes':
        // The seed's 学习主题: one theme per line, as written.
        r.themeLines.push(t);
        return;
      case 'form':
        r.forms.push(t);
        return;
      case 'content':
        if (theme && r.themes.at(-1) === theme && !lastItem && questionsFor === undefined) {
          // The paragraph under 第一专题：… says what it is about.
          theme.focus = theme.focus ? `${theme.focus}\n${t}` : t;
          return;
        }
        if (lastItem && lastItem.level === 'item' && headingLike(lastItem.material.title, 8)) {
          // 2.重要文章 / 习近平：《…》: the item named a kind, the line under it is the reading.
          r.materials.splice(r.materials.indexOf(lastItem.material), 1);
          itemGroup = lastItem.material.title;
          addMaterial(t, 'sub');
          return;
        }
        // A reading written without a number (《干部教育培训工作条例》。 under its group); not a note about the list.
        if (questionsFor === undefined && /《[^》]+》|学习|精神|讲话/.test(t) && !/^(其中|注|备注|以上|另外|此外|学习资料详见)/.test(t) && headingLike(t.replace(/。$/, ''), 80)) {
          addMaterial(t, 'item');
          return;
        }
        unplaced(t);
        return;
      case 'none':
        if (pendingHeading) {
          addRequirement(t);
          return;
        }
        if (/[:：]$/.test(t) || /(如下|以下)/.test(t)) {
          leadIn = /要求/.test(t) ? 'requirements' : 'content';
          return;
        }
        if ((r.materials.length || r.requirements.length) && /(^|[，,])(请|要|须|务必)|各.{0,12}(要|须|应)/.test(t)) {
          r.requirements.push(t);
          return;
        }
        unplaced(t);
        return;
      default:
        if (pendingHeading) addRequirement(t);
        else if (kind === 'other' && SESSION_LINE.test(t)) readTime(t, r);
        else unplaced(t);
    }
  }
}

const KIND_NAMES: Record<SectionKind, string> = {
  time: '学习时间',
  themes: '学习主题',
  content: '学习内容',
  form: '学习形式',
  requirements: '学习要求',
  other: '未归类',
  none: '正文',
};

function activityOf(text: string): string {
  if (/主题党日/.test(text) && !/政治理论学习/.test(text)) return '主题党日活动';
  if (/理论学习中心组|中心组学习/.test(text) && !/教职工/.test(text)) return '理论学习中心组学习';
  if (/政治理论学习|政治学习/.test(text)) return '政治理论学习';
  return '学习';
}

function readPreambleLine(t: string, r: NoticeReading, first: boolean) {
  // The seed's header: "某某学院党总支    2016年9月1日".
  const header = /^(.+?)\s+(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(t);
  if (first && header && ISSUER.test(header[1]!.trim())) {
    r.issuer = header[1]!.trim();
    r.issued = iso(+header[2]!, +header[3]!, +header[4]!);
    r.recognised.push(`发文单位：${r.issuer}，日期：${r.issued}`);
    return;
  }
  let source = false;
  for (const m of t.matchAll(SOURCE_LINE)) {
    source = true;
    if (m[1] && !r.issuer) r.issuer = m[1].replace(/(编审|审核|签审|浏览).*$/, '');
    if (m[2]) r.issued ??= `${m[2]}-${m[3]}-${m[4]}`;
  }
  if (source) {
    r.recognised.push(`来源行：${r.issuer ?? ''} ${r.issued ?? ''}`.trim());
    return;
  }
  if (ADDRESSEE.test(t)) {
    r.recognised.push(`发送对象：${t.replace(/[:：]$/, '')}`);
    return;
  }
  if (!r.title && !/[。，,]/.test(t) && /(通知|安排|计划|要点|方案)$/.test(t) && [...t].length <= 60) {
    r.title = t;
    r.recognised.push(`标题：${t}`);
  }
  readPeriod(t, r);
}

/** 2023年11月 / 3月份 / 2011-2012学年度第一学期, where the notice names the period it is for. */
function readPeriod(t: string, r: NoticeReading) {
  if (r.month || r.semesterLabel) return;
  const sem = /(\d{4})\s*[-—–~至]\s*(\d{4})\s*学年(?:度)?\s*第([一二])学期/.exec(t);
  if (sem) {
    r.semesterLabel = `${sem[1]}-${sem[2]}学年第${sem[3]}学期`;
    return;
  }
  if (readMonthRange(t, r)) return;
  const ym = /(\d{4})\s*年\s*(\d{1,2})\s*月份?(?!\s*\d{1,2}\s*日)/.exec(t);
  if (ym && +ym[2]! >= 1 && +ym[2]! <= 12) {
    r.month = { year: +ym[1]!, month: +ym[2]! };
    return;
  }
  const m = /(?<![\d年])(\d{1,2})\s*月份?(?![\d\s]*[日号])/.exec(t);
  if (m && +m[1]! >= 1 && +m[1]! <= 12 && /学习|党日|活动/.test(t)) r.month = { month: +m[1]! };
}

/**
 * 3—4月 / 3月至4月 / 2017年3月至4月 / 3月份到4月份 / 2017年12月至2018年1月: a period over several months, from the
 * first month's first day to the last month's last day. A year written elsewhere on the line (2017年春季学期3—4月)
 * is the period's when the line names only one.
 */
const MONTH_RANGE = /(?<![\d.．])(?:(\d{4})\s*年\s*)?(\d{1,2})\s*(?:月份?)?\s*(?:至|到|[-—–~～])+\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月份?(?![\d\s]*[日号])/;
function readMonthRange(t: string, r: NoticeReading): boolean {
  const m = MONTH_RANGE.exec(t);
  if (!m) return false;
  const from = +m[2]!;
  const to = +m[4]!;
  if (from < 1 || from > 12 || to < 1 || to > 12 || from === to) return false;
  const years = [...new Set([...t.matchAll(/(\d{4})\s*年/g)].map((y) => +y[1]!))];
  const year = m[1] ? +m[1] : years.length === 1 ? years[0] : undefined;
  if (year === undefined && !/学习|党日|活动/.test(t)) return false;
  r.month = { ...(year !== undefined ? { year } : {}), month: from, toMonth: to, ...(m[3] ? { toYear: +m[3] } : {}) };
  return true;
}

/**
 * After a date: （星期二）下午 专题辅导报告（行政楼报告厅） / 14:30 集中学习，地点：三楼会议室. The activity's name, and
 * the time of day and the place as the session's note; nothing when the rest reads as a sentence rather than a name.
 */
function sessionDetail(rest: string): SessionDetail {
  let t = rest.replace(/^[\s，,：:、]+/, '').replace(/[。；;，,\s]+$/, '');
  const when = /^(上午|下午|晚上|中午|早上|全天)?\s*(\d{1,2}\s*[:：]\s*\d{2}(?:\s*[-—–~至到]\s*\d{1,2}\s*[:：]\s*\d{2})?)?/.exec(t)!;
  const time = [when[1], when[2]?.replace(/\s+/g, '').replace(/：/g, ':')].filter(Boolean).join(' ');
  t = t.slice(when[0].length).replace(/^[\s，,：:、]+/, '');
  let place: string | undefined;
  const labelled = /[，,；;\s]*地点\s*[:：]\s*([^，,；;。]+)/.exec(t);
  if (labelled) {
    place = labelled[1]!.trim();
    t = t.replace(labelled[0], '');
  } else {
    const bracket = /[（(]([^（）()]+)[）)]$/.exec(t);
    if (bracket) {
      place = bracket[1]!.trim();
      t = t.slice(0, bracket.index);
    } else {
      const at = /^在(.+?)(?:举行|召开|开展|进行)?\s*(.*)$/.exec(t);
      if (at && at[2]) {
        place = at[1]!.trim();
        t = at[2];
      }
    }
  }
  const activity = t.trim().replace(/[。；;，,]+$/, '');
  const detail: SessionDetail = {};
  if (activity && [...activity].length <= 30 && !/[。；;，,]/.test(activity)) detail.activity = activity;
  const note = [time, place ? `地点：${place}` : ''].filter(Boolean).join('，');
  if (note) detail.note = note;
  return detail;
}

/** A line that starts with a day (4月11日（星期二）下午 …), in a section named otherwise (学习安排): a session. */
const SESSION_LINE = /^(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]/;

const WEEK_RULE = /(每周|每星期|单周|双周)\s*(?:的)?\s*(?:星期|周|礼拜)?([一二三四五六日天])\s*(上午|下午|晚上)?(\d{1,2}[:：]\d{2})?/;

/** What a time section says: a date (with its weekday), a rule over the weeks, a day to finish by, or leaves it open. */
function readTime(t: string, r: NoticeReading) {
  let found = false;
  const rule = WEEK_RULE.exec(t);
  if (rule) {
    const weekday = (rule[2] === '天' ? '日' : rule[2]) as WeekdayName;
    r.rules.push({ text: rule[0], weekday, weeks: rule[1] === '单周' ? 'odd' : rule[1] === '双周' ? 'even' : 'every', ...(rule[3] || rule[4] ? { time: [rule[3], rule[4]].filter(Boolean).join(' ') } : {}) });
    r.recognised.push(`学习时间规则：${rule[0]}`);
    found = true;
  }
  const matches = [...t.matchAll(/(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]\s*(?:[（(]\s*(?:星期|周)([一二三四五六日天])\s*[）)])?\s*(之前|以前|前)?/g)];
  for (const m of matches) {
    const [, y, mo, d, wd, before] = m;
    if (y && !isValidDate(iso(+y, +mo!, +d!))) continue;
    found = true;
    // Only a line that starts with its one date speaks of that date's session in the rest of it.
    const detail = matches.length === 1 && m.index === 0 && !before ? sessionDetail(t.slice(m[0].length)) : {};
    if (!y) {
      r.datesWithoutYear.push({ month: +mo!, day: +d!, text: m[0].trim(), by: !!before, ...detail });
      continue;
    }
    const date = iso(+y, +mo!, +d!);
    if (wd && weekdayOf(date) !== (wd === '天' ? '日' : wd)) r.unplaced.push(`${date} 实际是星期${weekdayOf(date)}，通知中写的是星期${wd}`);
    if (before) r.by = date;
    else r.dates.push({ date, text: m[0].trim(), ...detail });
  }
  // 学习时间：2017年3月至4月, the period written in the time section rather than above it.
  if (!found && !r.month && !r.semesterLabel && readMonthRange(t, r)) {
    r.recognised.push(`学习期间：${t}`);
    found = true;
  }
  if (!found && /自行安排|结合实际|自主安排|另行通知|灵活安排/.test(t)) {
    r.timeNote = t.split(/(?<=。)/)[0]!.replace(/。$/, '');
    found = true;
  }
  // Sentences about how to study (学习形式…) that share the section.
  const form = t.split(/(?<=。)/).filter((s) => /形式|方式/.test(s));
  if (form.length) r.forms.push(...form.map((s) => s.trim()));
  if (!found && !form.length) r.unplaced.push(`学习时间中未能识别的一行：${t}`);
}

/** 于3月17日10:00前…报送 / 截止日期：2018年5月13日: a report deadline, kept in the notice's words. */
function findDeadline(t: string, r: NoticeReading) {
  const m = /(?:于|在)?\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:[（(][^）)]*[）)])?\s*(\d{1,2}[:：]\d{2})?\s*(?:前|之前|以前)[^。]*?(报送|提交|上交|交至|交到|发送至|发至|报至|报)/.exec(t);
  const cut = /截止(?:日期|时间)\s*[:：]?\s*(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日/.exec(t);
  const hit = m ?? cut;
  if (!hit) return;
  const sentence = t.split(/(?<=。)/).find((s) => s.includes(hit[0])) ?? t;
  const deadline: NoticeReading['deadlines'][number] = { text: sentence.trim().replace(/。$/, '') };
  if (hit[1]) deadline.date = iso(+hit[1], +hit[2]!, +hit[3]!);
  else {
    deadline.month = +hit[2]!;
    deadline.day = +hit[3]!;
  }
  if (m?.[4]) deadline.time = m[4].replace('：', ':');
  r.deadlines.push(deadline);
  r.recognised.push(`报送截止：${hit[0]}`);
}
