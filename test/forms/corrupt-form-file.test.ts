import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import pg from 'pg';
import { semesterContent } from '../helpers/content.ts';
import { freshPostgresStore, freshSchema, PG_URL, postgresAvailable } from '../helpers/postgres.ts';
import { askApp, startTestApp } from '../helpers/test-app.ts';

/**
 * Issue 23: one corrupt form file locked its user out of everything, 帮助 included. Now, through the real callback on
 * a lowdb folder: the file is moved aside and named in the log, the user is told their draft could not be read, the
 * message is answered, and the next 提交记录 starts afresh. Other users are not touched. On PostgreSQL a form row of
 * the wrong shape is moved aside the same way (kept under another key).
 */
const WED = Date.parse('2016-09-21T02:00:00Z');
let app: Awaited<ReturnType<typeof startTestApp>> | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const CORRUPT = {
  'torn JSON': '{"state": {"formId": "minutes", "step": 3, "answ',
  'the wrong shape': '{"state": {"formId": 7}}',
  'not an object': '"hello"',
};

describe('a corrupt form file (lowdb)', () => {
  for (const [kind, text] of Object.entries(CORRUPT)) {
    it(`${kind}: 帮助 is answered with a polite note, the file moved aside and logged; 提交记录 starts afresh`, async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'corrupt-form-'));
      mkdirSync(path.join(dir, 'forms'), { recursive: true });
      writeFileSync(path.join(dir, 'forms', 'zhangsan.json'), text);
      app = await startTestApp({ clock: new ManualClock(WED), content: await semesterContent(), store: await LowdbStore.open(dir) });
      const first = await askApp(app, 'zhangsan', '帮助');
      expect(first).toContain('您之前未完成的记录草稿无法读取');
      expect(first).toContain('提交记录'); // the help text itself
      const moved = readdirSync(path.join(dir, 'forms')).filter((f) => f.startsWith('zhangsan.json.corrupt-'));
      expect(moved).toHaveLength(1);
      expect(readFileSync(path.join(dir, 'forms', moved[0]!), 'utf8')).toBe(text);
      expect(existsSync(path.join(dir, 'forms', 'zhangsan.json'))).toBe(false);
      const logged = app.logLines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'form state unreadable: moved aside; the user starts afresh');
      expect(logged?.movedTo).toBe(path.join(dir, 'forms', moved[0]!));
      expect(logged?.user).toBe('zhangsan');
      // Said once: the next messages are ordinary.
      expect(await askApp(app, 'zhangsan', '第四十七条')).not.toContain('无法读取');
      expect(await askApp(app, 'zhangsan', '提交记录')).toContain('开始填写《学习讨论记录》');
      expect(existsSync(path.join(dir, 'forms', 'zhangsan.json'))).toBe(true);
    });
  }
});

describe.skipIf(!postgresAvailable)('a form row of the wrong shape (PostgreSQL)', () => {
  it('帮助 is answered with the polite note, the row moved aside and logged; 提交记录 starts afresh', async () => {
    const schema = freshSchema();
    const store = await freshPostgresStore(schema);
    const db = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
    await db.connect();
    try {
      await db.query(`INSERT INTO form_states (user_id, revision, state) VALUES ('zhangsan', 1, '{"formId": 7}')`);
      app = await startTestApp({ clock: new ManualClock(WED), content: await semesterContent(), store });
      const first = await askApp(app, 'zhangsan', '帮助');
      expect(first).toContain('您之前未完成的记录草稿无法读取');
      expect(first).toContain('提交记录');
      const rows = (await db.query('SELECT user_id, state FROM form_states')).rows;
      expect(rows).toEqual([{ user_id: expect.stringMatching(/^zhangsan#corrupt-/), state: { formId: 7 } }]);
      const logged = app.logLines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'form state unreadable: moved aside; the user starts afresh');
      expect(logged?.movedTo).toBe(`PostgreSQL form_states row "${rows[0].user_id}"`);
      expect(await askApp(app, 'zhangsan', '提交记录')).toContain('开始填写《学习讨论记录》');
    } finally {
      await db.end();
    }
  });
});
