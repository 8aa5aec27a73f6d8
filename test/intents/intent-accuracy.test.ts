import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { QUESTION_SET_NOW } from '../answers/question-set.ts';
import { semesterContent } from '../helpers/content.ts';
import { askApp, startTestApp } from '../helpers/test-app.ts';
import { INTENTS, type IntentName } from './intents.ts';
import { PARAPHRASES } from './paraphrases.ts';
import { accuracy, route, type Routed } from './route.ts';

/**
 * The paraphrase set's tune part, every message through the real encrypted callback as its intent's sender: the
 * share routed to the intent's handler must not fall below what the routing reaches today (npm run bench:intents
 * prints it, with the held-out part, which this test does not look at). Not 100%: the misses left are listed in
 * docs/intents.md (a lay question keyword search finds nothing for, an off-topic line search is sure of).
 */
const FLOOR: Record<IntentName, number> = {
  article: 1,
  schedule: 0.93,
  'plan-info': 0.93,
  search: 0.93,
  'record-questions': 0.96,
  // With the second writer's tune lines (tune-new.ts): 讨论记录咋交啊 and 记录往哪交 stay record questions (记录怎么提交, 讨论记录交哪).
  minutes: 0.97,
  'my-records': 0.98,
  'amend-record': 1,
  'view-own-record': 1,
  'no-form': 1,
  'form-correction': 0.96,
  office: 1,
  'status-page': 1,
  'broadcast-admin': 0.93,
  'small-talk': 1,
  'off-topic': 0.96,
};

describe('intents of the paraphrase set (tune part), routed through the real bot', () => {
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let routed: Routed[];
  beforeAll(async () => {
    app = await startTestApp({ clock: new ManualClock(QUESTION_SET_NOW), content: await semesterContent() });
    routed = await route(
      app,
      PARAPHRASES.filter((p) => !p.heldOut),
    );
  }, 60_000);
  afterAll(() => app?.close());

  it('has at least 40 messages per intent, about a quarter held out', () => {
    for (const intent of Object.keys(INTENTS) as IntentName[]) {
      const mine = PARAPHRASES.filter((p) => p.intent === intent);
      expect(mine.length, intent).toBeGreaterThanOrEqual(40);
      const held = mine.filter((p) => p.heldOut).length / mine.length;
      expect(held, intent).toBeGreaterThanOrEqual(0.2);
    }
  });

  it.each(Object.keys(FLOOR) as IntentName[])('%s: routed right at least as often as recorded', (intent) => {
    const a = accuracy(routed).find((x) => x.intent === intent)!;
    const misses = routed.filter((r) => r.intent === intent && !r.right).map((r) => `${r.text} → ${r.handler ?? '(none)'}`);
    expect(a.right / a.total, misses.join('\n')).toBeGreaterThanOrEqual(FLOOR[intent]);
  });

  it('never lets an office command, the status page or a push command through for someone who is not an admin', async () => {
    // The same words from a member of staff reach the admin handlers, which refuse them politely (not a search hit).
    const staff = routed.filter((r) => r.intent === 'office').slice(0, 3);
    for (const r of staff) {
      const answer = await askApp(app, 'staff-member', r.text);
      expect(answer, r.text).toMatch(/管理员/);
    }
  });
});
