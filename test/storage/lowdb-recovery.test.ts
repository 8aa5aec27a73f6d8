import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import { FormStateUnreadableError, type FormState } from '../../src/storage/ports.ts';
import { ROOT } from '../helpers/spawn-service.ts';
import { startTestApp } from '../helpers/test-app.ts';

/**
 * lowdb storage that heals and stays bounded (issue 14): failures are not remembered, reading never writes, memory
 * is bounded, shutdown writes only what changed, a full disk heals without a restart, and a stored file of the wrong
 * shape is refused by name and never rewritten.
 */
const FORM_DOCS_CACHED = 1000; // src/storage/lowdb-store.ts (not imported: the test must load against the code before it)
const state = (n = 0): FormState => ({
  formId: 'minutes',
  version: 1,
  step: n,
  answers: {},
  attempts: 0,
  startedAt: 0,
  updatedAt: 0,
  expiresAt: 1e15,
  draftExpiresAt: 1e15,
  revision: 0,
});
const freshDir = () => mkdtempSync(path.join(tmpdir(), 'store-heal-'));
const open: LowdbStore[] = [];
async function openStore(dir: string) {
  const s = await LowdbStore.open(dir);
  open.push(s);
  return s;
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => {});
});

describe('lowdb: failures are not remembered', () => {
  it('a form file that is not JSON is moved aside once, named; the user then has no form and can start again (issue 23)', async () => {
    const dir = freshDir();
    const store = await openStore(dir);
    mkdirSync(path.join(dir, 'forms'), { recursive: true });
    const file = path.join(dir, 'forms', 'u1.json');
    writeFileSync(file, '{"state": ');
    const err = await store.forms.get('u1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormStateUnreadableError);
    expect((err as FormStateUnreadableError).reason).toMatch(/u1\.json/);
    const movedTo = (err as FormStateUnreadableError).movedTo!;
    expect(path.dirname(movedTo)).toBe(path.dirname(file));
    expect(path.basename(movedTo)).toMatch(/^u1\.json\.corrupt-\d{4}-\d{2}-\d{2}T[\d-]+Z$/);
    expect(readFileSync(movedTo, 'utf8')).toBe('{"state": '); // kept as it was, for an operator
    expect(existsSync(file)).toBe(false);
    expect(await store.forms.get('u1')).toBeUndefined();
    expect(await store.forms.put('u1', state(2), undefined)).toBe(true);
    expect((await store.forms.get('u1'))?.step).toBe(2);
  });

  it('a form file that cannot be read (no permission) is not moved aside: tried again on the next message', async () => {
    if (process.getuid?.() === 0) return; // root reads anything: nothing to show
    const dir = freshDir();
    const store = await openStore(dir);
    mkdirSync(path.join(dir, 'forms'), { recursive: true });
    const file = path.join(dir, 'forms', 'u1.json');
    writeFileSync(file, JSON.stringify({ state: { ...state(2), revision: 1 } }), { mode: 0o000 });
    await expect(store.forms.get('u1')).rejects.toThrow(/u1\.json/);
    chmodSync(file, 0o600);
    expect((await store.forms.get('u1'))?.step).toBe(2);
  });

  it('reading never writes: a user who only asks questions leaves no file and no document in memory', async () => {
    const dir = freshDir();
    const store = await openStore(dir);
    const t = await startTestApp({ store });
    for (const text of ['帮助', '本周学什么', '怎么提交记录']) await t.wecomSide.sendText('asker', text);
    expect(await store.forms.get('someone-else')).toBeUndefined();
    expect(await store.submissions.get('staff-office', '2016-09-20')).toBeUndefined();
    expect(existsSync(path.join(dir, 'forms', 'asker.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'forms', 'someone-else.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'submissions', '2016-09'))).toBe(false);
    expect(store.cachedForms).toBe(0);
    open.splice(open.indexOf(store), 1);
    await t.close();
  });

  it('a finished or cancelled form leaves no file', async () => {
    const dir = freshDir();
    const store = await openStore(dir);
    expect(await store.forms.put('u2', state(), undefined)).toBe(true);
    expect(existsSync(path.join(dir, 'forms', 'u2.json'))).toBe(true);
    await store.forms.delete('u2');
    expect(existsSync(path.join(dir, 'forms', 'u2.json'))).toBe(false);
    await store.forms.delete('never-there');
    expect(existsSync(path.join(dir, 'forms', 'never-there.json'))).toBe(false);
  });
});

describe('lowdb: bounded memory, shutdown writes only what changed', () => {
  it(`keeps at most ${FORM_DOCS_CACHED} form documents in memory, and an evicted one is read back intact`, async () => {
    const dir = freshDir();
    const store = await openStore(dir);
    const users = FORM_DOCS_CACHED + 500;
    for (let i = 0; i < users; i++) expect(await store.forms.put(`user${i}`, state(i % 7), undefined)).toBe(true);
    expect(store.cachedForms).toBeLessThanOrEqual(FORM_DOCS_CACHED);
    expect((await store.forms.get('user0'))?.step).toBe(0);
    expect((await store.forms.get('user13'))?.step).toBe(6);
    expect(await store.forms.put('user13', { ...state(3), revision: 1 }, 1)).toBe(true);
    expect(store.cachedForms).toBeLessThanOrEqual(FORM_DOCS_CACHED);
  });

  it('opening and closing rewrites nothing that did not change', async () => {
    const dir = freshDir();
    const first = await LowdbStore.open(dir);
    for (let i = 0; i < 20; i++) await first.forms.put(`u${i}`, state(), undefined);
    await first.submissions.save({ groupId: 'g', session: '2016-09-20', submittedBy: 'u', submittedAt: 1, fields: {}, idempotencyKey: 'k' });
    await first.close();
    const files = [
      path.join(dir, 'db.json'),
      path.join(dir, 'submissions', '2016-09', 'g.json'),
      ...Array.from({ length: 20 }, (_, i) => path.join(dir, 'forms', `u${i}.json`)),
    ].filter(existsSync);
    const before = files.map((f) => statSync(f).mtimeMs);
    await new Promise((r) => setTimeout(r, 20));
    const second = await LowdbStore.open(dir);
    for (let i = 0; i < 20; i++) await second.forms.get(`u${i}`);
    await second.close();
    expect(files.map((f) => statSync(f).mtimeMs)).toEqual(before);
  });

  it('with 20,000 users, closing under ulimit -n 1024 exits 0 and releases the folder', { timeout: 120_000 }, () => {
    const dir = freshDir();
    const script = `
      import { LowdbStore } from './src/storage/lowdb-store.ts';
      const store = await LowdbStore.open(process.argv[2]);
      const s = { formId: 'minutes', version: 1, step: 0, answers: {}, attempts: 0, startedAt: 0, updatedAt: 0, expiresAt: 1e15, draftExpiresAt: 1e15, revision: 0 };
      // 18,000 users only ask (their forms are looked up); 2,000 fill a form in.
      for (let i = 0; i < 20000; i++) {
        await store.forms.get('user' + i);
        if (i % 10 === 0) await store.forms.put('user' + i, s, undefined);
      }
      await store.close();
      console.log('closed cleanly');
    `;
    const scriptFile = path.join(dir, '..', `${path.basename(dir)}-many-users.mts`);
    writeFileSync(scriptFile, script.replace("'./src/", `'${ROOT}src/`));
    const r = spawnSync('bash', ['-c', `ulimit -n 1024 && exec "${process.execPath}" --import tsx "${scriptFile}" "${dir}"`], { cwd: ROOT, encoding: 'utf8' });
    rmSync(scriptFile, { force: true });
    expect(r.stderr).not.toMatch(/EMFILE/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('closed cleanly');
    expect(existsSync(path.join(dir, '.lock'))).toBe(false);
    expect(readdirSync(path.join(dir, 'forms'))).toHaveLength(2000);
  });
});

/** A small tmpfs where the test runs as root; otherwise a write failure injected by putting a folder where the temp file goes. */
function smallDisk(): { dir: string; fill: () => void; free: () => void; cleanup: () => void } {
  const mount = mkdtempSync(path.join(tmpdir(), 'store-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mount], { stdio: 'ignore' });
    const filler = path.join(mount, 'filler');
    return {
      dir: path.join(mount, 'data'),
      fill: () => {
        try {
          execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k', 'count=1000'], { stdio: 'ignore' });
        } catch {
          /* stops at "no space left": that is the point */
        }
      },
      free: () => rmSync(filler, { force: true }),
      cleanup: () => execFileSync('umount', [mount], { stdio: 'ignore' }),
    };
  } catch {
    console.warn('[lowdb-recovery] cannot mount a tmpfs here (not root?): injecting the write failure instead');
    const dir = path.join(mount, 'data');
    const blockers = () => ['fresh', 'zhangsan'].map((u) => path.join(dir, 'forms', `.${u}.json.tmp`));
    return {
      dir,
      fill: () => blockers().forEach((b) => mkdirSync(b, { recursive: true })),
      free: () => blockers().forEach((b) => rmSync(b, { recursive: true, force: true })),
      cleanup: () => {},
    };
  }
}

describe('lowdb: disk full, then freed', () => {
  it('messages fail politely while the disk is full, and everyone is served again once it is freed, without a restart', { timeout: 60_000 }, async () => {
    const disk = smallDisk();
    try {
      const store = await LowdbStore.open(disk.dir);
      const t = await startTestApp({ store });
      const say = async (user: string, text: string) => (await t.wecomSide.sendText(user, text)).passiveReply ?? '';
      expect(await say('zhangsan', '提交记录')).toMatch(/开始填写/);
      disk.fill();
      // A user with a form going, and a user starting one: both get the apology, nothing half-kept in memory.
      expect(await say('zhangsan', '1')).toMatch(/抱歉/);
      expect(await say('fresh', '提交记录')).toMatch(/抱歉|只有|不是/);
      expect((await store.forms.get('zhangsan'))?.step).toBe(0);
      disk.free();
      expect(await say('zhangsan', '1')).not.toMatch(/抱歉/);
      expect((await store.forms.get('zhangsan'))?.answers.groupId ?? (await store.forms.get('zhangsan'))?.step).toBeTruthy();
      expect(await say('zhangsan', '取消')).toMatch(/已取消/);
      expect(t.log()).toMatch(/磁盘已满|EISDIR|应为文件却是目录/);
      await t.close();
    } finally {
      disk.cleanup();
    }
  });
});

describe('lowdb: stored data is validated on load', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    ['db.json', 'null', 'db.json', /整个文件|whole document/],
    ['db.json', '{"schemaVersion": 1, "deliveries": null}', 'db.json', /deliveries/],
    ['db.json', '{"schemaVersion": 1, "deliveries": {"a|b": {"job": "a"}}}', 'db.json', /deliveries\.a\|b\.target/],
    ['submissions/2016-09/g.json', '{"records": null, "idempotency": {}}', 'g.json', /records/],
    [
      'submissions/2016-09/g.json',
      '{"records": {"g|2016-09-20": {"receipt": "JL-1", "revision": "2"}}, "idempotency": {}}',
      'g.json',
      /records\.g\|2016-09-20\./,
    ],
  ];
  it.each(cases)('%s containing %s is refused at start with its path and field, and left untouched', async (rel, text, name, field) => {
    const dir = freshDir();
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    const err = await LowdbStore.open(dir).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toContain(name);
    expect(err?.message).toMatch(field);
    expect(err?.message).toMatch(/备份|repair/);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(existsSync(path.join(dir, '.lock'))).toBe(false);
  });

  it('a form file of the wrong shape is moved aside for that user, named, and never rewritten (issue 23)', async () => {
    const dir = freshDir();
    mkdirSync(path.join(dir, 'forms'), { recursive: true });
    const file = path.join(dir, 'forms', 'u1.json');
    writeFileSync(file, '{"state": {"formId": 3}}');
    const store = await openStore(dir);
    const err = (await store.forms.get('u1').catch((e: unknown) => e)) as FormStateUnreadableError;
    expect(err.reason).toMatch(/u1\.json.*state\.formId/);
    expect(readFileSync(err.movedTo!, 'utf8')).toBe('{"state": {"formId": 3}}');
    expect(await store.forms.put('u1', state(), undefined)).toBe(true);
    // A second store over the same folder (a restart) ignores the moved-aside file.
    await store.close();
    open.splice(open.indexOf(store), 1);
    expect((await (await openStore(dir)).forms.get('u1'))?.revision).toBe(1);
  });

  it('a user id that is not a safe file name stays inside the data folder', async () => {
    const dir = path.join(freshDir(), 'data');
    const store = await openStore(dir);
    for (const user of ['..', '.', '.hidden', '../escape']) expect(await store.forms.put(user, state(), undefined)).toBe(true);
    expect(readdirSync(path.dirname(dir))).toEqual(['data']);
    expect(readdirSync(path.join(dir, 'forms')).every((f) => !f.startsWith('.'))).toBe(true);
    for (const user of ['..', '.', '.hidden', '../escape']) expect((await store.forms.get(user))?.revision).toBe(1);
  });
});
