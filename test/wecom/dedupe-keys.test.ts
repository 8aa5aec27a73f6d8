import { describe, expect, it } from 'vitest';
import { dedupeKey, parseInboundMessage } from '../../src/wecom/messages.ts';

/** Events have no MsgId; the key must tell apart what WeCom sends as two events, and only that. */
const event = (fields: string) =>
  parseInboundMessage(
    `<xml><ToUserName>ww</ToUserName><FromUserName>zhangsan</FromUserName><CreateTime>1474000000</CreateTime><MsgType>event</MsgType>${fields}<AgentID>1</AgentID></xml>`,
  );

describe('dedupe keys by event kind', () => {
  it('keeps two card clicks of the same second apart by TaskId, EventKey and ResponseCode', () => {
    const click = (task: string, key: string, code: string) =>
      dedupeKey(
        event(
          `<Event>template_card_event</Event><EventKey>${key}</EventKey><TaskId>${task}</TaskId><CardType>button_interaction</CardType><ResponseCode>${code}</ResponseCode>`,
        ),
      );
    expect(click('T1', 'ok', 'R1')).not.toBe(click('T1', 'ok', 'R2'));
    expect(click('T1', 'ok', 'R1')).not.toBe(click('T2', 'ok', 'R1'));
    expect(click('T1', 'ok', 'R1')).not.toBe(click('T1', 'no', 'R1'));
    // WeCom's retry of the same click is the same key.
    expect(click('T1', 'ok', 'R1')).toBe(click('T1', 'ok', 'R1'));
  });

  it('keeps two contact changes of the same second apart by ChangeType and UserID', () => {
    const change = (type: string, user: string) => dedupeKey(event(`<Event>change_contact</Event><ChangeType>${type}</ChangeType><UserID>${user}</UserID>`));
    expect(change('update_user', 'lisi')).not.toBe(change('update_user', 'wangwu'));
    expect(change('update_user', 'lisi')).not.toBe(change('delete_user', 'lisi'));
    expect(change('update_user', 'lisi')).toBe(change('update_user', 'lisi'));
  });
});
