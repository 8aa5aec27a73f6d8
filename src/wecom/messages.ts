import { CallbackError } from '../errors.ts';
import { parseXmlDocument, textField, type XmlElement } from './xml.ts';

/** Inbound messages and events (WeCom doc 96467, 90376) as a typed union; unknown types are kept, not refused. */
interface Common {
  toUserName: string;
  fromUserName: string;
  /** Seconds since the epoch, as WeCom sends it. */
  createTime: number;
  agentId: string | undefined;
  /** Every field as received, for handlers that need what the union does not model. */
  raw: Readonly<XmlElement>;
}

export type InboundMessage =
  | (Common & { type: 'text'; msgId: string; content: string })
  | (Common & { type: 'image'; msgId: string; picUrl: string; mediaId: string })
  | (Common & { type: 'voice'; msgId: string; mediaId: string; format: string })
  | (Common & { type: 'video'; msgId: string; mediaId: string; thumbMediaId: string })
  | (Common & { type: 'location'; msgId: string; latitude: number; longitude: number; scale: number; label: string })
  | (Common & { type: 'link'; msgId: string; title: string; description: string; url: string; picUrl: string })
  | (Common & { type: 'event'; event: string; eventKey: string | undefined })
  | (Common & { type: 'unknown'; msgType: string; msgId: string | undefined });

export type InboundType = InboundMessage['type'];

/** Parses the decrypted inner XML of a callback. */
export function parseInboundMessage(xml: string): InboundMessage {
  const doc = parseXmlDocument(xml);
  const req = (name: string): string => {
    const v = textField(doc, name);
    if (v === undefined || v === '') throw new CallbackError('bad_message', `message lacks ${name}`);
    return v;
  };
  const opt = (name: string) => textField(doc, name) ?? '';
  const createTime = Number(req('CreateTime'));
  if (!Number.isSafeInteger(createTime) || createTime < 0) throw new CallbackError('bad_message', 'CreateTime is not a number');
  const common: Common = {
    toUserName: req('ToUserName'),
    fromUserName: req('FromUserName'),
    createTime,
    agentId: textField(doc, 'AgentID'),
    raw: doc,
  };
  const msgType = req('MsgType');
  switch (msgType) {
    case 'text':
      return { ...common, type: 'text', msgId: req('MsgId'), content: opt('Content') };
    case 'image':
      return { ...common, type: 'image', msgId: req('MsgId'), picUrl: opt('PicUrl'), mediaId: opt('MediaId') };
    case 'voice':
      return { ...common, type: 'voice', msgId: req('MsgId'), mediaId: opt('MediaId'), format: opt('Format') };
    case 'video':
      return { ...common, type: 'video', msgId: req('MsgId'), mediaId: opt('MediaId'), thumbMediaId: opt('ThumbMediaId') };
    case 'location':
      return {
        ...common,
        type: 'location',
        msgId: req('MsgId'),
        latitude: Number(opt('Location_X')),
        longitude: Number(opt('Location_Y')),
        scale: Number(opt('Scale')),
        label: opt('Label'),
      };
    case 'link':
      return {
        ...common,
        type: 'link',
        msgId: req('MsgId'),
        title: opt('Title'),
        description: opt('Description'),
        url: opt('Url'),
        picUrl: opt('PicUrl'),
      };
    case 'event':
      return { ...common, type: 'event', event: req('Event'), eventKey: textField(doc, 'EventKey') };
    default:
      return { ...common, type: 'unknown', msgType, msgId: textField(doc, 'MsgId') };
  }
}

/**
 * The key under which a delivery is deduplicated. Messages have a 64-bit MsgId (kept as a string). Events have none,
 * and sender + second is too coarse (several events share a second), so each kind adds what tells two apart:
 * a card click its TaskId, EventKey and ResponseCode (two clicks in one second are two events); a contact change its
 * ChangeType and UserID; other events their Event and EventKey.
 */
export function dedupeKey(m: InboundMessage): string {
  if (m.type === 'event') {
    const f = (name: string) => textField(m.raw as XmlElement, name) ?? '';
    const base = `evt:${m.fromUserName}:${m.createTime}:${m.event}`;
    if (m.event === 'template_card_event') return `${base}:${f('TaskId')}:${m.eventKey ?? ''}:${f('ResponseCode')}`;
    if (m.event === 'change_contact') return `${base}:${f('ChangeType')}:${f('UserID')}`;
    return `${base}:${m.eventKey ?? ''}`;
  }
  if (m.msgId) return `msg:${m.msgId}`;
  return `other:${m.fromUserName}:${m.createTime}:${m.type === 'unknown' ? m.msgType : m.type}`;
}
