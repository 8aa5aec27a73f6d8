/**
 * A message as the bot core sees it, whatever transport brought it: the self-built app's XML callback or the
 * 智能机器人's JSON one. Transports (src/wecom/app, src/wecom/aibot) translate their wire messages into this; the
 * core and the handlers never see XML, JSON envelopes or crypto.
 */
export type Chat = { type: 'single' } | { type: 'group'; id: string };

interface Base {
  /** The transport it came through ('app', 'aibot'): for logs, and for handlers that answer differently. */
  channel: string;
  /** The platform's id of this message when it has one; a retry carries the same id (idempotency). */
  id: string | undefined;
  /** The sender's WeCom user id. */
  userId: string;
  chat: Chat;
  /** The transport's own parsed message, for what this shape does not model (tests, diagnostics). */
  original: unknown;
}

/** Where an image's bytes are, as the transport received it: the app's temporary media (media/get; WeCom keeps it 3 days). */
export type ImageSource = { via: 'media'; mediaId: string };

export type BotMessage =
  | (Base & { type: 'text'; text: string })
  | (Base & { type: 'image'; image: ImageSource })
  | (Base & { type: 'event'; event: string; eventKey: string | undefined })
  /** Images, voice, files …: `kind` names what it was. */
  | (Base & { type: 'other'; kind: string });

export type BotMessageType = BotMessage['type'];

/**
 * The message's identity across WeCom's retries, for idempotency (a form answer applied once): the platform's id,
 * scoped by transport. Undefined when the platform gives none (events), which then never match a retry.
 */
export function messageKey(m: BotMessage): string | undefined {
  if (m.id === undefined) return undefined;
  // The app's keys keep the form they had before there were two transports ("msg:<MsgId>"): stored form states use them.
  return m.channel === 'app' ? `msg:${m.id}` : `${m.channel}:${m.id}`;
}
