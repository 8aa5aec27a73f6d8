import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { semesterContent } from '../helpers/content.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { EIGHT, LAW, QUESTIONS, QUESTION_SET_NOW } from './question-set.ts';

/** Every question of the set through the real encrypted callback; the answer (passive reply and API messages) must
 * contain the expected text, with its source, and must not contain what would be wrong. */
const cases = QUESTIONS;

describe(`question set (${cases.length} questions) through the real callback`, () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let n = 0;
  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock(QUESTION_SET_NOW), content: await semesterContent() });
  });
  afterAll(() => t.close());

  const ask = async (user: string, text: string) => {
    const before = t.sim.deliveries.length;
    const r = await t.wecomSide.sendText(user, text);
    await t.bot.idle();
    const viaApi = t.sim.deliveries.slice(before).filter((d) => d.to === user);
    return [...(r.passiveReply !== undefined ? [r.passiveReply] : []), ...viaApi.map((d) => d.text)].join('\n');
  };

  it('has at least 80 questions', () => expect(cases.length).toBeGreaterThanOrEqual(80));

  for (const [question, includes, excludes = []] of cases) {
    it(question, async () => {
      const answer = await ask(`user${++n}`, question);
      for (const s of includes) expect(answer, answer).toContain(s);
      for (const s of excludes) expect(answer, answer).not.toContain(s);
    });
  }

  it('answers a bare number from the document the user was just asking about, and says which', async () => {
    expect(await ask('ctx1', '八项规定第二条')).toContain(`${EIGHT}第二条`);
    expect(await ask('ctx1', '第五条')).toContain(`${EIGHT}第五条`);
    expect(await ask('ctx1', '高教法第五条')).toContain(`${LAW}第五条`);
    expect(await ask('ctx1', '第六条')).toContain(`${LAW}第六条`);
    // Without context, the law.
    expect(await ask('ctx2', '第五条')).toContain(`${LAW}第五条`);
  });

  it('quotes long articles whole, split only between sentences', async () => {
    const answer = await ask('long1', '第46-48条');
    const a = (await semesterContent()).article('higher-education-law', 47)!;
    for (const p of a.paragraphs) expect(answer).toContain(p);
  });
});
