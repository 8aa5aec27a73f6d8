import { z } from 'zod';
import { isValidDate, WEEKDAYS } from './dates.ts';

/** The semester's plan (content/plan.yaml) and schedule (content/schedule.yaml): schemas and types. */
const isoDate = z.string({ error: '应为日期，如 2016-09-06' }).refine(isValidDate, { error: '不是有效日期（格式 YYYY-MM-DD，如 2016-09-06）' });
const text = z.string({ error: '应为文字' }).trim().min(1, { error: '不能为空' });

export const planSchema = z.strictObject({
  title: text,
  issuer: text,
  issued: isoDate,
  semester: text,
  week1Monday: isoDate,
  themes: z.array(text).min(1, { error: '至少要有一个学习主题' }),
  materials: z.array(z.strictObject({ title: text, document: z.string().regex(/^[a-z0-9-]+$/, { error: '文档 id 只能包含小写字母、数字和 -' }).optional() })),
  questions: z.strictObject({ staff: z.array(text), students: z.array(text) }),
  requirements: z.array(text),
});
export type Plan = z.infer<typeof planSchema>;

/**
 * The organisation as people here name it: the plan's issuer without the university in front
 * ("无锡职业技术学院管理学院党总支" → "管理学院党总支"); the plan's title is built the same way.
 */
export function organisationName(issuer: string): string {
  return issuer.replace(/^.*?学院(?=.*学院)/, '');
}

export const scheduleEntrySchema = z.strictObject({
  week: z.number({ error: '周次应为数字' }).int().min(1, { error: '周次至少为 1' }).max(30, { error: '周次不能超过 30' }),
  date: isoDate,
  weekday: z.enum(WEEKDAYS, { error: '星期应为 一 二 三 四 五 六 日 之一' }),
  activity: text,
  organisers: z.array(text).min(1, { error: '至少要有一个组织者' }),
  note: z.string().trim().optional(),
  /** Whether study groups must hand in a discussion record (学习讨论记录) for this session. */
  needsRecord: z.boolean({ error: 'needsRecord 应为 true 或 false' }),
});
export const scheduleSchema = z.array(scheduleEntrySchema);
export type ScheduleEntry = z.infer<typeof scheduleEntrySchema>;
