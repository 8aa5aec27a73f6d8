import { describe, expect, it } from 'vitest';
import { buildXml, cdata, parseXmlDocument } from '../../src/wecom/xml.ts';

const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return 'no error';
};

describe('the WeCom XML reader', () => {
  it('reads flat documents with CDATA, plain text, declaration, comments and a BOM', () => {
    const doc = parseXmlDocument(
      '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- hi --><xml>\n<ToUserName><![CDATA[ww1]]></ToUserName>\n<CreateTime>1409659813</CreateTime><Content><![CDATA[你好 <b>]]></Content><MsgId>4561255354251345929</MsgId><Empty/></xml>\n',
    );
    expect(doc).toEqual({ ToUserName: 'ww1', CreateTime: '1409659813', Content: '你好 <b>', MsgId: '4561255354251345929', Empty: '' });
  });

  it('decodes the predefined entities and character references, nothing else', () => {
    expect(parseXmlDocument('<xml><A>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#20320;&#x597D;</A></xml>').A).toBe(`a <b> & "c" 'd' 你好`);
    expect(code(() => parseXmlDocument('<xml><A>&nbsp;</A></xml>'))).toBe('bad_xml');
    expect(code(() => parseXmlDocument('<xml><A>a & b</A></xml>'))).toBe('bad_xml');
    expect(code(() => parseXmlDocument('<xml><A>&#xD800;</A></xml>'))).toBe('bad_xml');
  });

  it('reads nested event payloads and repeated elements as arrays', () => {
    const doc = parseXmlDocument(
      '<xml><Event>pic_sysphoto</Event><SendPicsInfo><Count>2</Count><PicList><item><PicMd5Sum>a</PicMd5Sum></item><item><PicMd5Sum>b</PicMd5Sum></item></PicList></SendPicsInfo></xml>',
    );
    expect(doc.SendPicsInfo).toEqual({ Count: '2', PicList: { item: [{ PicMd5Sum: 'a' }, { PicMd5Sum: 'b' }] } });
  });

  it('round-trips what buildXml writes, including "]]>" inside text', () => {
    const text = 'x ]]> y <z> & 中文';
    expect(cdata(']]>')).toBe('<![CDATA[]]]]><![CDATA[>]]>');
    expect(parseXmlDocument(buildXml({ Content: text, N: 5 }))).toEqual({ Content: text, N: '5' });
  });

  it('refuses DTDs, entity declarations and processing instructions', () => {
    expect(code(() => parseXmlDocument('<!DOCTYPE xml [<!ENTITY a "b">]><xml><A>&a;</A></xml>'))).toBe('forbidden_xml');
    expect(code(() => parseXmlDocument('<?xml version="1.0"?><!DOCTYPE xml SYSTEM "file:///etc/passwd"><xml/>'))).toBe('forbidden_xml');
    expect(code(() => parseXmlDocument('<xml><!ENTITY a "b"><A/></xml>'))).toBe('forbidden_xml');
    expect(code(() => parseXmlDocument('<xml><?php echo 1 ?><A/></xml>'))).toBe('bad_xml');
  });

  it('refuses malformed documents with bad_xml', () => {
    for (const bad of [
      '',
      '   ',
      'not xml',
      '<xml>',
      '<xml><A>1</B></xml>',
      '<xml><A>1</A>',
      '<xml><A>1</A></xml><xml/>',
      '<root><A>1</A></root>',
      '<xml>text</xml>',
      '<xml><A>x</A>stray</xml>',
      '<xml><A><![CDATA[open</A></xml>',
      '<xml><A>1<</A></xml>',
      `<xml>${'<a>'.repeat(20)}${'</a>'.repeat(20)}</xml>`,
      `<xml>${'<a/>'.repeat(3000)}</xml>`,
    ]) {
      expect(
        code(() => parseXmlDocument(bad)),
        bad.slice(0, 40),
      ).toBe('bad_xml');
    }
  });

  it('accepts an empty <xml/> as a document with no fields', () => {
    expect(parseXmlDocument('<xml/>')).toEqual({});
    expect(parseXmlDocument('<xml></xml>')).toEqual({});
  });
});
