import { afterEach } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { Content } from '../../src/content/content.ts';
import type { ScheduleEntry } from '../../src/content/plan.ts';
import type { Store } from '../../src/storage/ports.ts';
import { semesterContent } from '../helpers/content.ts';
import { freshPostgresStore, freshSchema } from '../helpers/postgres.ts';
import { storeBackends, type StoreBackend } from '../helpers/store-backends.ts';
import { startTestApp } from '../helpers/test-app.ts';

/**
 * The discussion-record transcripts' kit: the real app over the encrypted callback, a user's side of the chat, and
 * "instances" sharing one store (two apps on one PostgreSQL schema; one app for lowdb, whose data folder is locked to
 * a single process).
 */
export type TestApp = Awaited<ReturnType<typeof startTestApp>>;

/** Shanghai wall time → instant: "2016-09-21 10:00". */
export const at = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+08:00`);

export const SUMMARY = '同学们结合专业学习实际，围绕诚信与信用体系建设展开了讨论，认为青年学生应当从按时还款、诚信考试做起，树立信用意识。';

const running: TestApp[] = [];
afterEach(async () => {
  for (const a of running.splice(0)) await a.close();
});

export async function formApp(options: { now: number; store?: Store; content?: Content; env?: Record<string, string> }): Promise<TestApp> {
  const a = await startTestApp({
    clock: new ManualClock(options.now),
    content: options.content ?? (await semesterContent()),
    ...(options.store ? { store: options.store } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  running.push(a);
  return a;
}

/** Two instances of the service on one store (see above), both at `now`. */
export async function instances(backend: StoreBackend, now: number, env?: Record<string, string>): Promise<[TestApp, TestApp]> {
  const opts = { now, ...(env ? { env } : {}) };
  if (backend.name === 'lowdb') {
    const { open } = await backend.prepare();
    const one = await formApp({ ...opts, store: await open() });
    return [one, one];
  }
  const schema = freshSchema();
  return [await formApp({ ...opts, store: await freshPostgresStore(schema) }), await formApp({ ...opts, store: await freshPostgresStore(schema) })];
}

export { storeBackends };

/**
 * Message ids unique across the instances of a test: each app's sender numbers from the same clock, and instances on
 * one PostgreSQL share the dedupe ledger, which would take one user's message for a retry of another's.
 */
let sent = 0;
const messageId = (a: TestApp) => `${a.clock.now()}${String(++sent).padStart(6, '0')}`;

/** A user's side of the chat: sends a text through the real callback and returns everything the bot answered. */
export function chat(a: TestApp, user: string) {
  return (text: string) => answeredTo(a, user, () => a.wecomSide.sendText(user, text, messageId(a)));
}

/**
 * Everything the bot answered `user` after one message (`send`): the callback's passive reply, then what came through
 * the API. A file message is read by its own test, not as text.
 */
export async function answeredTo(a: Pick<TestApp, 'sim' | 'bot'>, user: string, send: () => Promise<{ passiveReply?: string | undefined }>): Promise<string> {
  const before = a.sim.deliveries.length;
  const r = await send();
  await a.bot.idle();
  const viaApi = a.sim.deliveries
    .slice(before)
    .filter((d) => d.to === user && d.msgtype !== 'file')
    .map((d) => d.text);
  return [...(r.passiveReply !== undefined ? [r.passiveReply] : []), ...viaApi].join('\n');
}

/** The checked-in semester with extra sessions (copies of the 9月20日 one on other dates). */
export async function contentWithSessions(...dates: string[]): Promise<Content> {
  const base = await semesterContent();
  const model = base.schedule.find((e) => e.date === '2016-09-20')!;
  const extra: ScheduleEntry[] = dates.map((date) => ({ ...model, date }));
  return new Content(
    base.plan,
    [...base.schedule, ...extra].sort((x, y) => x.date.localeCompare(y.date)),
    base.documents,
    base.broadcast,
    base.roster,
  );
}
