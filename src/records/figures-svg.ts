import { GROUP_KIND_LABEL } from './policy.ts';
import type { GroupFigures } from './status.ts';

/**
 * Each group's figures as a small inline SVG (no script, nothing fetched): a bar of its records handed in on time,
 * late and missing (to scale across groups), and a bar of attendance, 实到 over 应到. Every bar has a <title> with
 * its numbers, so a screen reader, a hover and a test read the same figures the bars draw.
 */
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export const FIGURE_COLOURS = { onTime: '#0a7d32', late: '#b26a00', missing: '#c62828', attendance: '#1f6feb', track: '#e5e7eb' } as const;

export function attendanceRate(f: GroupFigures): number | undefined {
  return f.expectedPresent ? f.present / f.expectedPresent : undefined;
}

export function figuresSvg(figures: readonly GroupFigures[], period: string): string {
  const labelW = 150;
  const barW = 260;
  const gap = 12;
  const rowH = 44;
  const width = labelW + barW + gap + 170;
  const height = 28 + figures.length * rowH;
  const most = Math.max(1, ...figures.map((f) => f.tally.onTime + f.tally.late + f.tally.missing));
  const unit = barW / most;
  const rows = figures.map((f, i) => {
    const y = 24 + i * rowH;
    const t = f.tally;
    const parts: Array<[number, string, string]> = [
      [t.onTime, FIGURE_COLOURS.onTime, '按时提交'],
      [t.late, FIGURE_COLOURS.late, '逾期提交'],
      [t.missing, FIGURE_COLOURS.missing, '未交'],
    ];
    let x = labelW;
    const segments = parts
      .filter(([n]) => n > 0)
      .map(([n, colour, what]) => {
        const w = n * unit;
        const r = `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="14" fill="${colour}" data-kind="${what}" data-count="${n}"><title>${esc(`${f.group.name}：${what} ${n}`)}</title></rect>`;
        x += w;
        return r;
      })
      .join('');
    const rate = attendanceRate(f);
    const attendance = rate === undefined ? '出勤：未填应到' : `出勤 ${Math.round(rate * 100)}%（${f.present}/${f.expectedPresent}）`;
    const summary = `${f.group.name}：按时提交 ${t.onTime}，逾期提交 ${t.late}，未交 ${t.missing}；${attendance}`;
    return (
      `<g data-group="${esc(f.group.id)}"><title>${esc(summary)}</title>` +
      `<text x="0" y="${y + 12}" font-size="13">${esc(f.group.name)}</text>` +
      `<text x="0" y="${y + 30}" font-size="11" fill="#666">${GROUP_KIND_LABEL[f.group.kind]}</text>` +
      `<rect x="${labelW}" y="${y}" width="${barW}" height="14" fill="${FIGURE_COLOURS.track}"/>${segments}` +
      `<text x="${labelW + barW + gap}" y="${y + 12}" font-size="12">按时 ${t.onTime} · 逾期 ${t.late} · 未交 ${t.missing}</text>` +
      `<rect x="${labelW}" y="${y + 20}" width="${barW}" height="8" fill="${FIGURE_COLOURS.track}"/>` +
      (rate === undefined
        ? ''
        : `<rect x="${labelW}" y="${y + 20}" width="${(barW * Math.min(1, rate)).toFixed(1)}" height="8" fill="${FIGURE_COLOURS.attendance}" data-kind="出勤" data-rate="${rate.toFixed(4)}"><title>${esc(`${f.group.name}：${attendance}`)}</title></rect>`) +
      `<text x="${labelW + barW + gap}" y="${y + 29}" font-size="11" fill="#444">${esc(attendance)}</text></g>`
    );
  });
  const legend = [
    [FIGURE_COLOURS.onTime, '按时提交'],
    [FIGURE_COLOURS.late, '逾期提交'],
    [FIGURE_COLOURS.missing, '未交'],
    [FIGURE_COLOURS.attendance, '出勤（实到/应到）'],
  ]
    .map(
      ([c, l], i) =>
        `<rect x="${labelW + i * 90}" y="2" width="10" height="10" fill="${c}"/><text x="${labelW + i * 90 + 14}" y="11" font-size="11">${l}</text>`,
    )
    .join('');
  return (
    `<svg class="figures" role="img" aria-label="${esc(`各学习组${period}提交与出勤情况`)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px" font-family="system-ui,'PingFang SC','Microsoft YaHei',sans-serif">` +
    `<title>${esc(`各学习组${period}提交与出勤情况`)}</title>${legend}${rows.join('')}</svg>`
  );
}
