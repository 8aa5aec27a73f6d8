/**
 * WeCom's markdown as a WeCom client shows it, as safe HTML for the local chat page's group pane. WeCom supports a
 * small subset (its API documentation): headings #…######, **bold**, [link](url), `code`, > quotes, and
 * <font color="info|comment|warning">. Everything is escaped first, so a message can only produce these tags.
 */
const COLOURS: Record<string, string> = { info: '#2a9d42', comment: '#888888', warning: '#e6a23c' };

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function inline(line: string): string {
  return line
    .replace(
      /&#60;font color=&#34;(info|comment|warning)&#34;&#62;([\s\S]*?)&#60;\/font&#62;/g,
      (_m, c: string, t: string) => `<span style="color:${COLOURS[c]}">${t}</span>`,
    )
    .replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\[([^\]]+)\]\((https?:\/\/[^\s)]+)\)/g, '<a href="$2" target="_blank" rel="noopener noreferrer">$1</a>');
}

export function wecomMarkdownToHtml(markdown: string): string {
  // A font tag may span lines; split into one tag per line so each line keeps its colour.
  const escaped = esc(markdown).replace(/&#60;font color=&#34;(info|comment|warning)&#34;&#62;([\s\S]*?)&#60;\/font&#62;/g, (_m, c: string, t: string) =>
    t
      .split('\n')
      .map((line) => (line ? `&#60;font color=&#34;${c}&#34;&#62;${line}&#60;/font&#62;` : line))
      .join('\n'),
  );
  return escaped
    .split('\n')
    .map((line) => {
      const h = /^(#{1,6}) (.*)$/.exec(line);
      if (h) return `<div style="font-weight:600;font-size:${[18, 17, 16, 15, 14, 14][h[1]!.length - 1]}px">${inline(h[2]!)}</div>`;
      const q = /^&#62; ?(.*)$/.exec(line);
      if (q) return `<div style="border-left:3px solid #ccc;padding-left:8px;color:#666">${inline(q[1]!)}</div>`;
      return line === '' ? '<br>' : `<div>${inline(line)}</div>`;
    })
    .join('');
}
