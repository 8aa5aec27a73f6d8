import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LowdbStore } from '../../src/storage/lowdb-store.ts';
import type { FormState, Outgoing, Store } from '../../src/storage/ports.ts';
import { freshPostgresStore, postgresAvailable } from '../helpers/postgres.ts';

/** One contract for every store: the same tests against lowdb (memory and disk) and PostgreSQL. */
const backends: Array<[string, () => Promise<Store>, boolean]> = [
  ['lowdb (memory)', () => LowdbStore.memory(), true],
  ['lowdb (disk)', () => LowdbStore.open(mkdtempSync(path.join(tmpdir(), 'contract-'))), true],
  ['postgres', freshPostgresStore, postgresAvailable],
];

const form = (step: number): FormState => ({
  formId: 'f',
  version: 1,
  step,
  answers: { a: step },
  attempts: 0,
  startedAt: 1,
  updatedAt: 1,
  expiresAt: 2,
  draftExpiresAt: 3,
  revision: 0,
});
const sub = (groupId: string, session: string, key: string, n = 1) => ({
  groupId,
  session,
  submittedBy: 'u',
  submittedAt: n,
  fields: { n },
  idempotencyKey: key,
});

for (const [name, open, available] of backends) {
  describe.skipIf(!available)(`store contract: ${name}`, () => {
    let store: Store;
    afterEach(async () => store?.close());

    it('dedupe: one claim wins; a retry sees it in progress, then done with its outcome; a dead claim is taken over; old keys pruned', async () => {
      store = await open();
      expect(await store.dedupe.claim('k', 1000, 500)).toEqual({ status: 'new' });
      expect(await store.dedupe.claim('k', 1200, 500)).toEqual({ status: 'in_progress' });
      expect(await store.dedupe.claim('k', 1600, 500)).toEqual({ status: 'new' });
      await store.dedupe.complete('k', { passiveReplyXml: '<xml>好</xml>' }, 1700);
      expect(await store.dedupe.claim('k', 1800, 500)).toEqual({ status: 'done', outcome: { passiveReplyXml: '<xml>好</xml>' } });
      const results = await Promise.all(Array.from({ length: 10 }, () => store.dedupe.claim('race', 5000, 500)));
      expect(results.filter((r) => r.status === 'new')).toHaveLength(1);
      expect(await store.dedupe.prune(2000)).toBeGreaterThanOrEqual(1);
    });

    it('deliveries: claimed once among racing workers; sent is final unless forced; failures keep their errcode', async () => {
      store = await open();
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => store.deliveries.claim('agenda:w2', 'group-a', `w${i}`, 1000, 60_000)));
      expect(claims.filter((c) => c.ok)).toHaveLength(1);
      const winner = claims.find((c) => c.ok)!.delivery.claimedBy;
      await store.deliveries.update('agenda:w2', 'group-a', { status: 'failed', attempts: 1, errcode: 45009, errmsg: 'busy' }, 1100);
      expect(await store.deliveries.get('agenda:w2', 'group-a')).toMatchObject({ status: 'failed', errcode: 45009, errmsg: 'busy' });
      const retry = await store.deliveries.claim('agenda:w2', 'group-a', 'other', 1200, 60_000);
      expect(retry).toMatchObject({ ok: true, delivery: { attempts: 1, claimedBy: 'other' } });
      await store.deliveries.update('agenda:w2', 'group-a', { partsSent: 1, attempts: 2 }, 1250);
      await store.deliveries.update('agenda:w2', 'group-a', { status: 'sent', sentAt: 1300, attempts: 2 }, 1300);
      const sent = await store.deliveries.get('agenda:w2', 'group-a');
      expect(sent).toMatchObject({ status: 'sent', sentAt: 1300, partsSent: 1 });
      expect(sent!.errcode).toBeUndefined();
      expect(await store.deliveries.claim('agenda:w2', 'group-a', winner, 1400, 60_000)).toMatchObject({ ok: false, reason: 'already_sent' });
      const forced = await store.deliveries.claim('agenda:w2', 'group-a', 'op', 1500, 60_000, { force: true });
      expect(forced).toMatchObject({ ok: true, delivery: { forcedResends: 1, partsSent: 0, attempts: 0 } });
      expect(await store.deliveries.claim('agenda:w2', 'group-b', 'x', 1600, 60_000)).toMatchObject({ ok: true });
      expect(await store.deliveries.claim('agenda:w2', 'group-b', 'y', 1700, 60_000)).toMatchObject({ ok: false, reason: 'in_progress' });
      expect((await store.deliveries.list('agenda:')).map((d) => d.target).sort()).toEqual(['group-a', 'group-b']);
      expect(await store.deliveries.list('remind:')).toEqual([]);
    });

    it('outbox: a delivery keeps its payload; due lists the unsent ones in their retry window, oldest first', async () => {
      store = await open();
      const payload = (text: string): Outgoing => ({
        route: { via: 'app', touser: ['lisi'], duplicateCheckSec: 3600 },
        parts: [{ msgtype: 'text', text: { content: text } }],
      });
      await store.deliveries.claim('reply:1', 'lisi', 'w1', 1000, 60_000, { payload: payload('一'), retryUntil: 50_000 });
      await store.deliveries.claim('reply:2', 'lisi', 'w1', 2000, 60_000, { payload: payload('二'), retryUntil: 50_000 });
      await store.deliveries.claim('agenda:w3', 'staff', 'w1', 3000, 60_000, { payload: payload('三'), retryUntil: 4_000 });
      await store.deliveries.claim('old-style', 'x', 'w1', 3000, 60_000);
      await store.deliveries.update('reply:2', 'lisi', { status: 'failed', attempts: 1, errcode: -1, errmsg: 'down' }, 2100);
      await store.deliveries.update('agenda:w3', 'staff', { status: 'failed', attempts: 1, errcode: -1, errmsg: 'down' }, 3100);
      // reply:1 is pending under a live claim: not due until its lease runs out; agenda:w3's window closed at 4,000.
      expect((await store.deliveries.due(5000, 60_000)).map((d) => d.job)).toEqual(['reply:2']);
      expect((await store.deliveries.due(62_000, 60_000)).map((d) => d.job)).toEqual([]);
      expect((await store.deliveries.due(49_000, 10_000)).map((d) => d.job)).toEqual(['reply:1', 'reply:2']);
      const retried = await store.deliveries.claim('reply:2', 'lisi', 'w2', 6000, 60_000);
      expect(retried).toMatchObject({ ok: true, delivery: { payload: payload('二'), retryUntil: 50_000, attempts: 1 } });
      await store.deliveries.update('reply:2', 'lisi', { status: 'sent', sentAt: 6100, attempts: 2 }, 6100);
      expect((await store.deliveries.due(49_000, 10_000)).map((d) => d.job)).toEqual(['reply:1']);
      // Sent replies are pruned after a while; unsent ones and other jobs stay.
      expect(await store.deliveries.prune('reply:', 7000)).toBe(1);
      expect((await store.deliveries.list()).map((d) => d.job).sort()).toEqual(['agenda:w3', 'old-style', 'reply:1']);
    });

    it('forms: revision-checked writes refuse the second of two concurrent changes', async () => {
      store = await open();
      expect(await store.forms.put('u', form(0), undefined)).toBe(true);
      expect(await store.forms.put('u', form(0), undefined)).toBe(false);
      const first = (await store.forms.get('u'))!;
      expect(first).toMatchObject({ step: 0, revision: 1, answers: { a: 0 } });
      const both = await Promise.all([store.forms.put('u', form(1), 1), store.forms.put('u', form(2), 1)]);
      expect(both.filter(Boolean)).toHaveLength(1);
      expect((await store.forms.get('u'))!.revision).toBe(2);
      await store.forms.delete('u');
      expect(await store.forms.get('u')).toBeUndefined();
    });

    it('submissions: receipts per session, revisions with history, a retried confirmation saved once, filters', async () => {
      store = await open();
      const a = await store.submissions.save(sub('g1', '2016-09-20', 'm1'));
      expect(a).toMatchObject({ receipt: 'JL-20160920-001', revision: 1, history: [] });
      expect((await store.submissions.save(sub('g2', '2016-09-20', 'm2'))).receipt).toBe('JL-20160920-002');
      const again = await store.submissions.save(sub('g1', '2016-09-20', 'm1'));
      expect(again).toEqual(a);
      const r2 = await store.submissions.save(sub('g1', '2016-09-20', 'm3', 2));
      expect(r2).toMatchObject({ receipt: 'JL-20160920-001', revision: 2, fields: { n: 2 }, history: [{ revision: 1, fields: { n: 1 } }] });
      await store.submissions.save(sub('g1', '2016-10-11', 'm4'));
      expect((await store.submissions.list({ groupIds: ['g1'] })).map((s) => s.session)).toEqual(['2016-10-11', '2016-09-20']);
      expect((await store.submissions.list({ sessions: ['2016-09-20'] })).map((s) => s.groupId)).toEqual(['g1', 'g2']);
      expect(await store.submissions.get('g9', '2016-09-20')).toBeUndefined();
      const many = await Promise.all(Array.from({ length: 20 }, (_, i) => store.submissions.save(sub(`c${i}`, '2016-09-27', `c${i}`))));
      expect(new Set(many.map((s) => s.receipt)).size).toBe(20);
    });

    it('plan imports: kept with who and when, an id once, withdrawn once', async () => {
      store = await open();
      expect(await store.planImports.list()).toEqual([]);
      const p = { id: '2023-06', text: '通知全文', year: 2023, dates: ['2023-06-20'], importedBy: 'admin', importedAt: 1000 };
      expect(await store.planImports.add(p)).toBe(true);
      expect(await store.planImports.add({ ...p, text: '另一份' })).toBe(false);
      await store.planImports.add({ id: '2023-07', text: '七月', importedBy: 'admin', importedAt: 2000 });
      expect(await store.planImports.list()).toEqual([p, { id: '2023-07', text: '七月', importedBy: 'admin', importedAt: 2000 }]);
      expect(await store.planImports.withdraw('2023-06', 'admin2', 3000)).toBe(true);
      expect(await store.planImports.withdraw('2023-06', 'admin2', 4000)).toBe(false);
      expect(await store.planImports.withdraw('nope', 'admin2', 4000)).toBe(false);
      expect((await store.planImports.list())[0]).toEqual({ ...p, withdrawnBy: 'admin2', withdrawnAt: 3000 });
    });

    it('reports itself reachable', async () => {
      store = await open();
      expect(await store.ping()).toBe(true);
    });

    it('reports itself writable by a real write, and concurrent probes share one', async () => {
      store = await open();
      expect(await Promise.all(Array.from({ length: 5 }, () => store.canWrite()))).toEqual([true, true, true, true, true]);
    });
  });
}

describe.skipIf(!postgresAvailable)('lowdb → PostgreSQL (npm run migrate-lowdb)', () => {
  it('copies records with their revisions, the ledger, forms in progress and plans imported in chat; a second run copies nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'migrate-'));
    const lowdb = await LowdbStore.open(dir);
    await lowdb.submissions.save(sub('g1', '2016-09-20', 'a', 1));
    await lowdb.submissions.save(sub('g1', '2016-09-20', 'b', 2));
    await lowdb.submissions.save(sub('g2', '2016-09-27', 'c', 3));
    await lowdb.deliveries.claim('agenda:w2', 'staff', 'w', 1, 1000);
    await lowdb.deliveries.update('agenda:w2', 'staff', { status: 'sent', sentAt: 2 }, 2);
    await lowdb.forms.put('wangwu', form(3), undefined);
    await lowdb.planImports.add({ id: '2023-06', text: '通知全文', importedBy: 'admin', importedAt: 5 });
    await lowdb.close();

    const source = await LowdbStore.open(dir);
    const pgStore = await freshPostgresStore();
    expect(await pgStore.importFrom(source)).toEqual({ deliveries: [1, 0], submissions: [2, 0], forms: [1, 0], planImports: [1, 0] });
    expect(await pgStore.importFrom(source)).toEqual({ deliveries: [0, 1], submissions: [0, 2], forms: [0, 1], planImports: [0, 1] });
    expect(await pgStore.planImports.list()).toEqual([{ id: '2023-06', text: '通知全文', importedBy: 'admin', importedAt: 5 }]);
    expect(await pgStore.submissions.get('g1', '2016-09-20')).toMatchObject({ receipt: 'JL-20160920-001', revision: 2, history: [{ revision: 1 }] });
    expect(await pgStore.deliveries.claim('agenda:w2', 'staff', 'other', 10, 1000)).toMatchObject({ ok: false, reason: 'already_sent' });
    expect(await pgStore.forms.get('wangwu')).toMatchObject({ step: 3 });
    // New records keep numbering after the copied ones.
    expect((await pgStore.submissions.save(sub('g3', '2016-09-20', 'd'))).receipt).toBe('JL-20160920-002');
    await source.close();
    await pgStore.close();
  });
});

describe.skipIf(!postgresAvailable)('postgres: two first saves of one record at the same instant', () => {
  it('become revisions 1 and 2 of one record', async () => {
    const store = await freshPostgresStore();
    const results = await Promise.all([store.submissions.save(sub('g', '2016-09-20', 'x1', 1)), store.submissions.save(sub('g', '2016-09-20', 'x2', 2))]);
    expect(results.map((r) => r.revision).sort()).toEqual([1, 2]);
    expect((await store.submissions.get('g', '2016-09-20'))!.revision).toBe(2);
    await store.close();
  });
});
