import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { FormStateUnreadableError } from '../../src/storage/ports.ts';
import { freshPostgresStore, freshSchema, PG_URL, postgresAvailable } from '../helpers/postgres.ts';

/**
 * JSON columns on PostgreSQL are checked as lowdb's files are (issue 14): a row of the wrong shape is refused with
 * the table, the row and the field, and is left as it is.
 */
describe.skipIf(!postgresAvailable)('PostgreSQL: stored JSON of the wrong shape', () => {
  it('is refused naming table, row and field, and left untouched', async () => {
    const schema = freshSchema();
    const store = await freshPostgresStore(schema);
    const db = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
    await db.connect();
    try {
      await store.forms.put(
        'u1',
        { formId: 'minutes', version: 1, step: 0, answers: {}, attempts: 0, startedAt: 0, updatedAt: 0, expiresAt: 1, draftExpiresAt: 1, revision: 0 },
        undefined,
      );
      await db.query(`UPDATE form_states SET state = '{"formId": null}' WHERE user_id = 'u1'`);
      // A form row is moved aside (issue 23): named, kept untouched under another key, and the user starts afresh.
      const err = (await store.forms.get('u1').catch((e: unknown) => e)) as FormStateUnreadableError;
      expect(err).toBeInstanceOf(FormStateUnreadableError);
      expect(err.reason).toMatch(/form_states\.state \(user u1\).*formId/);
      expect(err.movedTo).toMatch(/^PostgreSQL form_states row "u1#corrupt-\d{4}-/);
      expect(await store.forms.get('u1')).toBeUndefined();

      await store.submissions.save({ groupId: 'g', session: '2016-09-20', submittedBy: 'u', submittedAt: 1, fields: {}, idempotencyKey: 'k' });
      await db.query(`UPDATE submissions SET history = 'null'`);
      await expect(store.submissions.get('g', '2016-09-20')).rejects.toThrow(/submissions \(g, 2016-09-20\).*history/);

      await store.deliveries.claim('job', 'target', 'w', 1, 1000, { payload: { route: { via: 'robot', keyEnv: 'K' }, parts: [] }, retryUntil: 10 });
      await db.query(`UPDATE deliveries SET payload = '{"route": null}'`);
      await expect(store.deliveries.get('job', 'target')).rejects.toThrow(/deliveries\.payload \(job → target\).*route/);
      expect((await db.query('SELECT user_id, state FROM form_states')).rows).toEqual([
        { user_id: expect.stringMatching(/^u1#corrupt-/), state: { formId: null } },
      ]);
    } finally {
      await db.end();
      await store.close();
    }
  });
});
