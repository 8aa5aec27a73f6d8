import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/content.ts';
import { ContentError } from '../../src/errors.ts';
import { spawnService } from '../helpers/spawn-service.ts';
import { FIXTURE_CONTENT } from '../helpers/content.ts';

/** A copy of content/ with one file edited. */
function brokenCopy(file: string, edit: (text: string) => string): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'content-')), 'content');
  cpSync(FIXTURE_CONTENT, dir, { recursive: true });
  const target = path.join(dir, file);
  writeFileSync(target, edit(readFileSync(target, 'utf8')));
  return dir;
}

/** The 1-based line of the first line containing `marker` in a content file of `dir`. */
function lineOf(dir: string, file: string, marker: string): number {
  const i = readFileSync(path.join(dir, file), 'utf8').split('\n').findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`marker ${marker} not in ${file}`);
  return i + 1;
}

async function errorOf(dir: string): Promise<ContentError> {
  try {
    await loadContent(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(ContentError);
    return err as ContentError;
  }
  throw new Error('content loaded although it is broken');
}

describe('content validation names file, line and field', () => {
  it('loads the shipped content/ (whatever semester it holds: nothing of it is pinned here)', async () => {
    const shipped = await loadContent('content');
    expect(shipped.plans.length).toBeGreaterThan(0);
    expect(shipped.plan.title).not.toBe('');
  });

  it('loads the tests’ seed content', async () => {
    const c = await loadContent(FIXTURE_CONTENT);
    expect(c.summary()).toMatchObject({ documents: 4, scheduleEntries: 5, weeks: 4 });
    expect(c.articleCount('higher-education-law')).toBe(69);
    expect(c.articleCount('eight-point-rules')).toBe(7);
    expect(c.document('higher-education-law')!.chapters).toHaveLength(8);
  });

  it.each([
    ['an impossible date', 'schedule.yaml', (s: string) => s.replace('date: 2016-09-20', 'date: 2016-09-31'), 'date: 2016-09-31', '3.date', /不是有效日期/],
    ['a weekday that does not match the date', 'schedule.yaml', (s: string) => s.replace(/date: 2016-09-20\n {2}weekday: 二/, 'date: 2016-09-20\n  weekday: 三'), 'weekday: 三', '3.weekday', /2016-09-20 是星期二，不是星期三/],
    ['an unknown weekday', 'schedule.yaml', (s: string) => s.replace(/weekday: 二\n {2}activity: 政治理论学习/, 'weekday: 八\n  activity: 政治理论学习'), 'weekday: 八', '3.weekday', /星期应为/],
    ['a week that does not match the date', 'schedule.yaml', (s: string) => s.replace('- week: 3', '- week: 5'), 'week: 5', '3.week', /在第 3 周/],
    // A notice may not say who runs a session, so a missing organiser list is allowed; a wrong type is not.
    ['an organiser list that is not a list', 'schedule.yaml', (s: string) => s.replace(/ {2}organisers:\n {4}- 各学习组\n/, '  organisers: 各学习组\n'), 'organisers: 各学习组', '3.organisers', /.+/],
    ['a YAML syntax error', 'schedule.yaml', (s: string) => s.replace('activity: 升旗仪式', 'activity: [升旗仪式'), 'activity: [升旗仪式', undefined, /YAML 格式错误/],
    ['a material pointing to no document', 'plan.yaml', (s: string) => s.replace('document: youth-credit-plan', 'document: youth-plan'), 'document: youth-plan', 'materials.2.document', /找不到文档/],
    ['a bad week-1 Monday', 'plan.yaml', (s: string) => s.replace('week1Monday: 2016-09-05', 'week1Monday: 5 September'), 'week1Monday', 'week1Monday', /不是有效日期/],
  ])('%s', async (_name, file, edit, marker, field, reason) => {
    const dir = brokenCopy(file, edit);
    const err = await errorOf(dir);
    expect(err.file).toBe(`content/${file}`);
    // The line of the offending value (a YAML syntax error may be reported where the parser noticed it, a line on).
    expect(err.line).toBeGreaterThanOrEqual(lineOf(dir, file, marker));
    expect(err.line).toBeLessThanOrEqual(lineOf(dir, file, marker) + 1);
    if (field !== undefined) expect(err.field).toBe(field);
    expect(err.message).toMatch(reason);
  });

  it('a document with a broken front matter', async () => {
    const err = await errorOf(brokenCopy('documents/higher-education-law.md', (s) => s.replace('numbering: articles', 'numbering: chapters')));
    expect(err.file).toBe('content/documents/higher-education-law.md');
    expect(err.field).toBe('numbering');
  });

  it('the service refuses to start on broken content and says where', async () => {
    const dir = brokenCopy('schedule.yaml', (s) => s.replace('- week: 3', '- week: 5'));
    const line = lineOf(dir, 'schedule.yaml', 'week: 5');
    await expect(spawnService({ CONTENT_DIR: dir })).rejects.toThrow(new RegExp(`content/schedule\\.yaml:${line} \\(3\\.week\\): 2016-09-20 在第 3 周`));
  });
});
