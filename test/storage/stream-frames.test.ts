import { afterEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { ManualClock } from '../../src/clock.ts';
import { Housekeeping } from '../../src/jobs/housekeeping.ts';
import type { PostgresStore } from '../../src/storage/postgres-store.ts';
import { freshPostgresStore, postgresAvailable } from '../helpers/postgres.ts';

/** The stream frames every instance reads (issue 22): given only to the stream's own user and chat, until they expire. */
describe.skipIf(!postgresAvailable)('stream frames in PostgreSQL', () => {
  let store: PostgresStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  const frame = (id: string, expiresAt: number, over: Partial<{ content: string; finished: boolean }> = {}) => ({
    id,
    userId: 'zhangsan',
    chat: 'group:C1',
    content: '第一段',
    finished: false,
    expiresAt,
    ...over,
  });

  it('gives the latest frame to its own user and chat only, and nothing once expired', async () => {
    store = await freshPostgresStore();
    const frames = store.streamFrames;
    await frames.put(frame('s1', 1_000));
    await frames.put(frame('s1', 1_000, { content: '第一段\n\n第二段', finished: true }));
    expect(await frames.get('s1', 'zhangsan', 'group:C1', 999)).toEqual(frame('s1', 1_000, { content: '第一段\n\n第二段', finished: true }));
    expect(await frames.get('s1', 'lisi', 'group:C1', 999)).toBeUndefined();
    expect(await frames.get('s1', 'zhangsan', 'single', 999)).toBeUndefined();
    expect(await frames.get('s2', 'zhangsan', 'group:C1', 999)).toBeUndefined();
    expect(await frames.get('s1', 'zhangsan', 'group:C1', 1_000)).toBeUndefined();
  });

  it("deletes one stream's frame, and prunes the expired ones (also from housekeeping)", async () => {
    store = await freshPostgresStore();
    const frames = store.streamFrames;
    for (const [id, exp] of [
      ['a', 100],
      ['b', 200],
      ['c', 300],
      ['d', 400],
    ] as const)
      await frames.put(frame(id, exp));
    await frames.delete('d');
    expect(await frames.get('d', 'zhangsan', 'group:C1', 0)).toBeUndefined();
    expect(await frames.prune(100)).toBe(1);
    const housekeeping = new Housekeeping(store, new ManualClock(200), pino({ level: 'silent' }));
    await housekeeping.run();
    expect(await frames.get('c', 'zhangsan', 'group:C1', 0)).toBeDefined();
    expect(await frames.prune(Number.MAX_SAFE_INTEGER)).toBe(1); // only c was left
  });
});
