import { z } from 'zod';
import { AppError } from '../errors.ts';
import { recordFieldsSchema } from '../records/fields.ts';

/**
 * The shape of everything the stores keep, checked when it is read back. Valid JSON of the wrong shape (`null`,
 * `{"records": null}`, a hand edit gone wrong) used to be merged over an empty document and written back: the delivery
 * ledger or an acknowledged record silently gone. Now such a file is refused with its path, the field and what to do,
 * and it is never rewritten. Unknown extra fields are kept (passthrough-free `loose` objects): a newer version's data
 * is not stripped by an older one.
 */
const int = z.number().int();
const text = z.string();

const partSchema = z.union([
  z.looseObject({ msgtype: z.literal('text'), text: z.looseObject({ content: text }) }),
  z.looseObject({ msgtype: z.literal('markdown'), markdown: z.looseObject({ content: text }) }),
  z.looseObject({ msgtype: z.literal('file'), file: z.looseObject({ media_id: z.string() }) }),
]);
const routeSchema = z.union([
  z.looseObject({ via: z.literal('robot'), keyEnv: text }),
  z.looseObject({ via: z.literal('appchat'), chatid: text }),
  z.looseObject({
    via: z.literal('app'),
    duplicateCheckSec: int.optional(),
    touser: z.array(text).optional(),
    toparty: z.array(text).optional(),
    totag: z.array(text).optional(),
  }),
]);
export const outgoingSchema = z.looseObject({ route: routeSchema, parts: z.array(partSchema) });

export const deliverySchema = z.looseObject({
  job: text,
  target: text,
  status: z.enum(['pending', 'sent', 'failed']),
  attempts: int,
  partsSent: int,
  inFlight: z.boolean().optional(),
  maybeDelivered: z.boolean().optional(),
  claimedAt: z.number(),
  claimedBy: text,
  sentAt: z.number().optional(),
  errcode: int.optional(),
  errmsg: text.optional(),
  forcedResends: int.optional(),
  updatedAt: z.number(),
  payload: outgoingSchema.optional(),
  retryUntil: z.number().optional(),
});

export const dbSchema = z.looseObject({
  schemaVersion: z.literal(1),
  deliveries: z.record(text, deliverySchema),
  planImports: z.array(z.looseObject({ id: text, text: z.string(), importedBy: text, importedAt: int })).optional(),
});

export const formStateSchema = z.looseObject({
  formId: text,
  version: int,
  step: int,
  answers: z.record(text, z.unknown()),
  attempts: int,
  buffer: text.optional(),
  amends: text.optional(),
  startedAt: z.number(),
  updatedAt: z.number(),
  expiresAt: z.number(),
  draftExpiresAt: z.number(),
  paused: z.boolean().optional(),
  pausedBy: z.enum(['new-start', 'idle']).optional(),
  pausedFor: text.optional(),
  pausedNoticeGiven: z.boolean().optional(),
  held: text.optional(),
  revision: int,
  lastMessage: text.optional(),
  appliedMessages: z.array(z.tuple([text, z.number()])).optional(),
  draftId: text.optional(),
  confirmedBy: text.optional(),
  savedWith: text.optional(),
});

export const formFileSchema = z.looseObject({ state: formStateSchema.optional() });

// A record's fields are the records domain's (src/records/fields.ts): typed when read back, in both stores.
const historySchema = z.array(z.looseObject({ revision: int, submittedBy: text, submittedAt: z.number(), fields: recordFieldsSchema }));
export const submissionSchema = z.looseObject({
  receipt: text,
  groupId: text,
  session: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  revision: int.min(1),
  submittedBy: text,
  submittedAt: z.number(),
  fields: recordFieldsSchema,
  history: historySchema,
});

export const monthFileSchema = z.looseObject({ records: z.record(text, submissionSchema), idempotency: z.record(text, text) });

/** Validates stored data; throws an AppError naming where it came from, the first wrong field and what to do. */
export function checkStored<T>(schema: z.ZodType<T>, data: unknown, where: string): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.length ? issue.path.map(String).join('.') : '(整个文件 the whole document)';
  throw new AppError(
    'ERR_STORE_DATA',
    `${where}: 数据格式不符，字段 ${field}：${issue.message}。该数据未被修改，服务不会覆盖它。请从备份恢复，或按正确格式修正该字段后重新启动 ` +
      `(stored data has the wrong shape at ${field}; it was left untouched: restore it from a backup or repair the field, then start again)`,
  );
}

/** The lowdb store's index of photos (their bytes are files beside it: src/storage/lowdb-photos.ts). */
export const photoIndexSchema = z.looseObject({
  photos: z.array(
    z.looseObject({ owner: text, n: int.min(1), messageKey: text, mime: text, size: int.min(0), addedBy: text, addedAt: z.number(), file: text }),
  ),
});
