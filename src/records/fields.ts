import { z } from 'zod';

/**
 * The discussion record's own fields, in one place: the form saves exactly these, both stores check them when they
 * read a record back, and the status page, the chat and every export read them typed (no `any`). Each field is
 * optional in storage: a record written by an older version, or a test's partial one, is still read (a missing field
 * shows as empty), and unknown keys are kept (loose) so a newer version's data is never stripped. A value of the wrong
 * type is refused (the store names the field).
 */
const name = z.string();

export const attendanceSchema = z.object({
  count: z.number().int().min(0),
  names: z.array(name).default([]),
  /** How many should have been there (应到), when the secretary said so. */
  expected: z.number().int().min(0).optional(),
});
export type RecordAttendance = z.infer<typeof attendanceSchema>;

export const absenteeSchema = z.object({ name, reason: z.string() });
export type RecordAbsentee = z.infer<typeof absenteeSchema>;

export const recordFieldsSchema = z.looseObject({
  /** The day it was actually held, YYYY-MM-DD. */
  heldOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  /** Optional in the form: null when skipped. */
  place: z.string().nullable().optional(),
  attendees: attendanceSchema.nullable().optional(),
  absentees: z.array(absenteeSchema).nullable().optional(),
  topic: z.string().nullable().optional(),
  questions: z.array(z.string()).nullable().optional(),
  summary: z.string().nullable().optional(),
  recorder: z.string().nullable().optional(),
});
export type RecordFields = z.infer<typeof recordFieldsSchema>;

/** The record's fields in the order the form asks them and every view shows them. */
export const RECORD_FIELD_NAMES = ['heldOn', 'place', 'attendees', 'absentees', 'topic', 'questions', 'summary', 'recorder'] as const;
export type RecordFieldName = (typeof RECORD_FIELD_NAMES)[number];

/** How each field is labelled wherever a record is shown (chat, page, notebook, spreadsheet). */
export const RECORD_FIELD_LABELS: Record<RecordFieldName, string> = {
  heldOn: '学习日期',
  place: '地点',
  attendees: '参加',
  absentees: '缺席',
  topic: '主题',
  questions: '讨论题',
  summary: '讨论情况',
  recorder: '记录人',
};

/** The record fields of a set of answers (the form keeps other facts beside them), checked: only these are saved. */
export function recordFieldsOf(answers: Record<string, unknown>): RecordFields {
  const picked = Object.fromEntries(RECORD_FIELD_NAMES.filter((k) => answers[k] !== undefined).map((k) => [k, answers[k]]));
  return recordFieldsSchema.parse(picked);
}

/** A stored record's fields read leniently: a value of the wrong shape is dropped (shown as empty), never thrown on. */
export function readRecordFields(raw: unknown): RecordFields {
  const parsed = recordFieldsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const obj = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
  return recordFieldsSchema.parse(Object.fromEntries(Object.entries(obj).filter(([k]) => !bad.has(k))));
}
