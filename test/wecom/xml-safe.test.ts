import { afterEach, describe, expect, it } from 'vitest';
import { buildXml, parseXmlDocument } from '../../src/wecom/xml.ts';
import { startTestApp } from '../helpers/test-app.ts';

/** Characters XML forbids never reach a passive reply, even when the reply echoes the user's text (issue 14). */
// Written out here rather than imported, so the check does not share a mistake with src/xml-chars.ts.
// eslint-disable-next-line no-control-regex -- the control characters are what is checked for
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('well-formed replies', () => {
  it('buildXml drops forbidden characters and keeps the rest, emoji included', () => {
    const xml = buildXml({ Content: 'a\u0000b\u0001c\u000bd\u000ce\u001ff\ufffeg\uffffh\ud800i\udc00j😀k\tl\nm' });
    expect(xml).not.toMatch(FORBIDDEN);
    expect(parseXmlDocument(xml).Content).toBe('abcdefghij😀k\tl\nm');
  });

  it('a question carrying control characters (as numeric references) gets a reply without them', async () => {
    const t = await startTestApp();
    close = t.close;
    const inner = `<xml><ToUserName><![CDATA[${t.config.wecom.corpId}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>${Math.floor(t.clock.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>查找&#1;&#x8;&#xB;&#xFFFE;诚信&#x1F;</Content><MsgId>${t.wecomSide.nextMsgId()}</MsgId><AgentID>${t.config.wecom.agentId}</AgentID></xml>`;
    const r = await t.wecomSide.sendXml(inner);
    expect(r.status).toBe(200);
    expect(r.passiveReply).toBeDefined();
    expect(r.passiveReply).not.toMatch(FORBIDDEN);
  });
});
