import { z } from 'zod';
import { addDays, isValidDate, mondayOf, WEEKDAYS } from './dates.ts';

/**
 * A study plan as notices really state it (content/plan.yaml, or content/plans/<id>/plan.yaml) and its dated
 * sessions (schedule.yaml beside it): schemas and types.
 *
 * A plan says what a notice says and no more. A notice gives its period as a month, a semester or a span; its
 * sessions as exact dates (schedule.yaml), a rule over the semester's weeks (每周四下午, 单周周四下午), a day to finish by
 * (3月31日之前), or not at all; readings with full text (a document), a link, or only a title; discussion questions by
 * audience; requirements, report deadlines, organisers, the issuer and the date. What it lacks is listed in `missing`
 * so the bot and the importer can say so instead of guessing.
 */
const isoDate = z.string({ error: '应为日期，如 2016-09-06' }).refine(isValidDate, { error: '不是有效日期（格式 YYYY-MM-DD，如 2016-09-06）' });
const text = z.string({ error: '应为文字' }).trim().min(1, { error: '不能为空' });
const slug = z.string().regex(/^[a-z0-9-]+$/, { error: '只能包含小写字母、数字和 -' });
const clockTime = z.string().regex(/^\d{1,2}:\d{2}$/, { error: '时间格式应为 HH:MM，如 10:00' });

export const periodSchema = z.strictObject({
  kind: z.enum(['month', 'semester', 'span'], { error: 'kind 应为 month、semester 或 span' }),
  from: isoDate,
  to: isoDate,
  /** As people say it: 2023年6月, 2016年秋季学期. */
  label: text,
});
export type Period = z.infer<typeof periodSchema>;

/** 每周四下午 / 单周周四下午: a session on a weekday of every (odd, even) week of the semester. */
export const sessionRuleSchema = z.strictObject({
  /** As the notice writes it. */
  text,
  weekday: z.enum(WEEKDAYS, { error: '星期应为 一 二 三 四 五 六 日 之一' }).optional(),
  weeks: z.enum(['every', 'odd', 'even']).default('every'),
  /** 上午 / 下午 / 晚上 or a clock time, when the notice gives one. */
  time: z.string().trim().optional(),
});
export type SessionRule = z.infer<typeof sessionRuleSchema>;

export const sessionsSchema = z.strictObject({
  rules: z.array(sessionRuleSchema).default([]),
  /** 3月31日之前 / 10月28日前: study within the period, finished by this day. */
  by: isoDate.optional(),
  /** The notice's own words where it leaves the time to others (各单位结合实际自行安排). */
  note: text.optional(),
});

export const themeSchema = z.strictObject({
  title: text,
  /** 学习重点 */
  focus: text.optional(),
  /** 参考资料: links */
  links: z.array(text).default([]),
});
export type Theme = z.infer<typeof themeSchema>;

export const materialSchema = z.strictObject({
  title: text,
  /** The full text, in documents/<id>.md. */
  document: slug.optional(),
  url: text.optional(),
  /** The notice's group heading it stands under (集中学习内容, 自学内容 …). */
  group: text.optional(),
  /** Where a text taken at import comes from (the law library's file and version), when not from the notice. */
  source: text.optional(),
});
export type Material = z.infer<typeof materialSchema>;

export const deadlineSchema = z.strictObject({
  /** As written: 于3月17日10:00前以…报送宣传部邮箱 */
  text,
  date: isoDate.optional(),
  time: clockTime.optional(),
});
export type Deadline = z.infer<typeof deadlineSchema>;

export const planSchema = z
  .strictObject({
    /** Set for the plans in content/plans/<id>/ (the folder name); the seed plan at the top of content/ has none. */
    id: slug.optional(),
    title: text,
    issuer: text.optional(),
    issued: isoDate.optional(),
    /** The period's name as people say it (2016年秋季学期, 2023年6月). */
    semester: text,
    period: periodSchema.optional(),
    /** The Monday of week 1, when the notice or the office gives it (单周 and 第3周 are counted from it). */
    week1Monday: isoDate.optional(),
    sessions: sessionsSchema.optional(),
    /** Themes by title; a theme with its 学习重点 and links is written as an object. */
    themes: z.array(z.union([text, themeSchema])).default([]),
    materials: z.array(materialSchema).default([]),
    questions: z
      .strictObject({
        staff: z.array(text).default([]),
        students: z.array(text).default([]),
        /** Questions for another audience (党员, 中心组 …) or for everyone (讨论思考题). */
        others: z.array(z.strictObject({ audience: text, items: z.array(text).min(1) })).default([]),
      })
      .default({ staff: [], students: [], others: [] }),
    requirements: z.array(text).default([]),
    deadlines: z.array(deadlineSchema).default([]),
    organisers: z.array(text).default([]),
    /** What the notice does not say (学习时间, 发文单位, 发文日期, 年份 …), recorded at import. */
    missing: z.array(text).default([]),
  })
  .transform((p) => {
    const themeDetails = p.themes.map((t) => (typeof t === 'string' ? { title: t, links: [] } : t));
    const start = p.period?.from ?? p.issued;
    return {
      ...p,
      themes: themeDetails.map((t) => t.title),
      themeDetails,
      /** Whether week 1 is known; otherwise weeks are counted from the period's first Monday, for arithmetic only. */
      week1Given: p.week1Monday !== undefined,
      week1Monday: p.week1Monday ?? (start ? mondayOf(start) : '1970-01-05'),
    };
  });
export type Plan = z.output<typeof planSchema>;
/** A plan as written in plan.yaml (what the importer writes). */
export type PlanFile = z.input<typeof planSchema>;

/**
 * The organisation as people here name it: the plan's issuer without the university in front
 * ("某某职业技术学院某某学院党总支" → "某某学院党总支"); the plan's title is built the same way.
 */
export function organisationName(issuer: string): string {
  return issuer.replace(/^.*?学院(?=.*学院)/, '');
}

/**
 * The days a plan covers: its period; a semester plan given as dated sessions (the seed's table) covers its
 * semester from week 1 until the next plan begins, at most the 30 weeks a schedule may have (`soft`: the next plan
 * cuts it short); a notice that says no time at all applies from its date until the next plan begins (`to`
 * undefined).
 */
export function planCoverage(plan: Plan, schedule: readonly ScheduleEntry[]): { from: string; to?: string; soft?: boolean } | undefined {
  if (plan.period) return { from: plan.period.from, to: plan.period.to };
  if (schedule.length) {
    const from = plan.week1Given ? plan.week1Monday : mondayOf(schedule[0]!.date);
    const last = addDays(mondayOf(schedule.at(-1)!.date), 6);
    const cap = addDays(from, 30 * 7 - 1);
    return { from, to: last > cap ? last : cap, soft: true };
  }
  if (plan.issued) return { from: plan.issued };
  return undefined;
}

export const scheduleEntrySchema = z.strictObject({
  week: z.number({ error: '周次应为数字' }).int().min(1, { error: '周次至少为 1' }).max(30, { error: '周次不能超过 30' }),
  date: isoDate,
  weekday: z.enum(WEEKDAYS, { error: '星期应为 一 二 三 四 五 六 日 之一' }),
  activity: text,
  /** Who runs it; a notice may not say (then empty). */
  organisers: z.array(text).default([]),
  note: z.string().trim().optional(),
  /** Whether study groups must hand in a discussion record (学习讨论记录) for this session. */
  needsRecord: z.boolean({ error: 'needsRecord 应为 true 或 false' }),
});
export const scheduleSchema = z.array(scheduleEntrySchema);
export type ScheduleEntry = z.infer<typeof scheduleEntrySchema>;
