import { describe, expect, it } from 'vitest';
import { wecomMarkdownToHtml } from '../../src/http/wecom-markdown.ts';

describe("WeCom's markdown as the local chat page shows it", () => {
  it('renders the subset WeCom supports: headings, bold, links, code, quotes, coloured text', () => {
    expect(wecomMarkdownToHtml('### 第3周学习安排')).toBe('<div style="font-weight:600;font-size:16px">第3周学习安排</div>');
    expect(wecomMarkdownToHtml('**9月20日 星期二** 政治理论学习')).toBe('<div><b>9月20日 星期二</b> 政治理论学习</div>');
    expect(wecomMarkdownToHtml('> 发送“帮助”')).toBe('<div style="border-left:3px solid #ccc;padding-left:8px;color:#666">发送“帮助”</div>');
    expect(wecomMarkdownToHtml('[页面](https://example.edu.cn/a?b=1&c=2) `第47条`')).toBe(
      '<div><a href="https://example.edu.cn/a?b=1&#38;c=2" target="_blank" rel="noopener noreferrer">页面</a> <code>第47条</code></div>',
    );
    expect(wecomMarkdownToHtml('a\n\n<font color="warning">请提交\n记录</font>')).toBe(
      '<div>a</div><br><div><span style="color:#e6a23c">请提交</span></div><div><span style="color:#e6a23c">记录</span></div>',
    );
  });

  it('escapes everything else: no other tag, attribute or URL scheme gets through', () => {
    const html = wecomMarkdownToHtml('<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) <font color="red" onclick="x">y</font>');
    // Only the renderer's own tags are markup; the rest is text.
    expect(html.replace(/<\/?(div|span|b|code|br)\b[^>]*>/g, '')).not.toContain('<');
    expect(html).not.toContain('href');
    expect(html).toContain('&#60;script&#62;');
  });
});
