import { afterAll, beforeAll } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import type { Content } from '../../src/content/content.ts';
import { semesterContent } from '../helpers/content.ts';
import { askApp, startTestApp } from '../helpers/test-app.ts';
import { QUESTION_SET_NOW } from './question-set.ts';

/** The app the question tests ask: the semester's content, its clock at the question set's "today". */
export async function questionSetApp(env?: Record<string, string>) {
  return startTestApp({ clock: new ManualClock(QUESTION_SET_NOW), content: await semesterContent(), ...(env ? { env } : {}) });
}

/**
 * A describe block's chat with that app: started before its tests and closed after them. `ask` sends as a new user
 * each time (no conversation carried over) unless a user is given; `content` is the semester the app answers from.
 */
export function questionSetChat(userPrefix: string) {
  let app: Awaited<ReturnType<typeof questionSetApp>> | undefined;
  let content: Content | undefined;
  let n = 0;
  beforeAll(async () => {
    app = await questionSetApp();
    content = await semesterContent();
  });
  afterAll(() => app?.close());
  return {
    ask: (text: string, user = `${userPrefix}${++n}`) => askApp(app!, user, text),
    get content(): Content {
      return content!;
    },
    /** The running app, for a test that moves its clock. */
    get app() {
      return app!;
    },
  };
}
