import { validate } from 'node-cron';
import { z } from 'zod';

/**
 * content/targets.yaml: where and when the weekly agenda goes. A target is one group chat (or set of people) with
 * exactly one delivery kind. Robot webhook keys are secrets: the file names the environment variable that holds the
 * key (keyEnv), never the key itself.
 */
const name = z.string().trim().min(1, { error: '不能为空' });
const ids = z.array(z.string().trim().min(1)).default([]);

export const targetSchema = z
  .strictObject({
    name,
    robot: z.strictObject({ keyEnv: z.string().regex(/^WECOM_ROBOT_KEY_[A-Z0-9_]+$/, { error: '应为 WECOM_ROBOT_KEY_ 开头的环境变量名' }) }).optional(),
    appchat: z.strictObject({ chatid: name }).optional(),
    members: z.strictObject({ users: ids, parties: ids, tags: ids }).optional(),
    /** Who reads this target (staff or students): its record notice is that kind's, and only for sessions it owes. */
    audience: z.enum(['staff', 'student'], { error: 'audience 应为 staff（教职工）或 student（学生）' }).optional(),
    /** Only these activities (by name); all when absent. */
    activities: z.array(name).optional(),
    /** Added at the end of the message. */
    extraText: z.string().trim().optional(),
    /** markdown (default) or text: the personal WeChat client does not render markdown. */
    format: z.enum(['markdown', 'text']).default('markdown'),
  })
  .refine((t) => [t.robot, t.appchat, t.members].filter(Boolean).length === 1, {
    error: '每个推送对象必须且只能设置 robot、appchat、members 其中之一',
  })
  .refine((t) => !t.members || t.members.users.length + t.members.parties.length + t.members.tags.length > 0, {
    error: 'members 至少要有一个 users、parties 或 tags',
  });
export type BroadcastTarget = z.infer<typeof targetSchema>;

export const targetsFileSchema = z.strictObject({
  schedule: z
    .strictObject({
      /** node-cron expression in Asia/Shanghai; default Monday 08:00. */
      cron: z.string().refine((c) => validate(c), { error: '不是有效的 cron 表达式（例如 "0 8 * * 1" 表示每周一 8:00）' }).default('0 8 * * 1'),
      /** If the service was down at the scheduled time, send the missed push when it comes up within this many hours. */
      catchUpHours: z.number().int().min(0).max(24 * 7).default(48),
      /** Send a message for a week without activities (default: send nothing). */
      sendEmptyWeeks: z.boolean().default(false),
    })
    .prefault({}),
  targets: z.array(targetSchema).refine((ts) => new Set(ts.map((t) => t.name)).size === ts.length, { error: '推送对象的名称不能重复' }),
});
export type TargetsFile = z.infer<typeof targetsFileSchema>;

const person = z.strictObject({ userId: name, name: z.string().trim().min(1).optional() });

export const rosterSchema = z
  .strictObject({
    /** The party office's people: preview and check broadcasts, see who has not submitted, submit for any group. */
    admins: z.array(z.strictObject({ userId: name, name })).default([]),
    /** Study groups: each hands in a discussion record for every session that needs one. */
    groups: z
      .array(
        z.strictObject({
          id: z.string().regex(/^[a-z0-9-]+$/, { error: '组 id 只能包含小写字母、数字和 -' }),
          name,
          kind: z.enum(['staff', 'student'], { error: 'kind 应为 staff（教职工）或 student（学生）' }),
          secretaries: z.array(person).min(1, { error: '每个学习组至少要有一名记录员' }),
          members: z.array(z.string().trim().min(1)).optional(),
        }),
      )
      .default([]),
    /** Records of a session can be handed in and amended until this many days after the end of its month. */
    closeAfterMonthEndDays: z.number().int().min(0).max(90).default(5),
    /**
     * Which study groups owe a record for a session, and what each kind of group is told (src/records/policy.ts reads
     * it): rules by the session's organisers or activity, the first that matches wins; no rule matching → every group.
     */
    records: z
      .strictObject({
        owedBy: z
          .array(
            z
              .strictObject({
                organisers: z.array(name).optional(),
                activities: z.array(name).optional(),
                kinds: z.array(z.enum(['staff', 'student'], { error: 'kinds 中只能是 staff（教职工）或 student（学生）' })).min(1),
              })
              .refine((r) => r.organisers || r.activities, { error: '每条规则要写 organisers（组织者）或 activities（活动）' }),
          )
          .default([]),
        /** The push's line about handing in records, per kind of group (each audience quotes its own rule). */
        notice: z.strictObject({ staff: z.string().trim().min(1).optional(), student: z.string().trim().min(1).optional() }).prefault({}),
      })
      .prefault({}),
    /** Automatic reminders (off unless enabled): secretaries before a month closes, admins when it has closed. */
    reminders: z
      .strictObject({
        enabled: z.boolean().default(false),
        daysBeforeClose: z.number().int().min(0).max(30).default(2),
        time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: '时间格式应为 HH:MM，如 09:00' }).default('09:00'),
      })
      .prefault({}),
  })
  .refine((r) => new Set(r.groups.map((g) => g.id)).size === r.groups.length, { error: '学习组 id 不能重复' });
export type Roster = z.infer<typeof rosterSchema>;
