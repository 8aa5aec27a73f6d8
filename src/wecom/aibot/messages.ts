import { z } from 'zod';
import type { BotMessage } from '../../bot/message.ts';
import { CallbackError } from '../../errors.ts';

/**
 * The 智能机器人's inner messages (doc 100719): text, mixed (text and images), quote, voice, image, file; `stream`
 * (WeCom asking for the rest of a stream reply) and `event` (enter_chat, template_card_event, feedback_event).
 * Unknown fields are kept; unknown message types are "other", never refused.
 */
const text = z.object({ content: z.string() });
export const aibotMessageSchema = z.looseObject({
  msgid: z.string().min(1),
  aibotid: z.string().optional(),
  chatid: z.string().optional(),
  chattype: z.enum(['single', 'group']).default('single'),
  from: z.looseObject({ userid: z.string().min(1) }),
  response_url: z.string().optional(),
  msgtype: z.string().min(1),
  text: text.optional(),
  mixed: z.object({ msg_item: z.array(z.looseObject({ msgtype: z.string(), text: text.optional() })) }).optional(),
  quote: z.looseObject({ msgtype: z.string(), text: text.optional() }).optional(),
  stream: z.object({ id: z.string() }).optional(),
  event: z.looseObject({ eventtype: z.string() }).optional(),
});
export type AibotMessage = z.infer<typeof aibotMessageSchema>;

export function parseAibotMessage(json: string): AibotMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new CallbackError('bad_message', 'inner message is not JSON');
  }
  const parsed = aibotMessageSchema.safeParse(raw);
  if (!parsed.success) throw new CallbackError('bad_message', `inner message: ${parsed.error.issues[0]!.path.join('.')} ${parsed.error.issues[0]!.message}`);
  return parsed.data;
}

/** In a group the text keeps the @-mention ("@学习助手 第四十七条"); the question is what follows it. */
export function stripMentions(text: string): string {
  return text
    .replace(/(^|\s)@\S+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The text a message carries: text; the text items of mixed; a quote's own text is context, not the question. */
function textOf(m: AibotMessage): string | undefined {
  if (m.msgtype === 'text') return m.text?.content;
  if (m.msgtype === 'mixed') return m.mixed?.msg_item.flatMap((i) => (i.msgtype === 'text' && i.text ? [i.text.content] : [])).join('\n');
  if (m.msgtype === 'quote') return m.text?.content ?? m.quote?.text?.content;
  return undefined;
}

export function toBotMessage(m: AibotMessage): BotMessage {
  const base = {
    channel: 'aibot',
    id: m.msgid,
    userId: m.from.userid,
    chat: m.chattype === 'group' && m.chatid ? { type: 'group' as const, id: m.chatid } : { type: 'single' as const },
    original: m,
  };
  if (m.msgtype === 'event' && m.event) {
    const detail = m.event[m.event.eventtype] as { event_key?: unknown } | undefined;
    return { ...base, type: 'event', event: m.event.eventtype, eventKey: typeof detail?.event_key === 'string' ? detail.event_key : undefined };
  }
  const t = textOf(m);
  if (t !== undefined) return { ...base, type: 'text', text: stripMentions(t) };
  return { ...base, type: 'other', kind: m.msgtype };
}
