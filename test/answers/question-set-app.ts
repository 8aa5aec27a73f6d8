import { ManualClock } from '../../src/clock.ts';
import { semesterContent } from '../helpers/content.ts';
import { startTestApp } from '../helpers/test-app.ts';
import { QUESTION_SET_NOW } from './question-set.ts';

/** The app the question tests ask: the semester's content, its clock at the question set's "today". */
export async function questionSetApp(env?: Record<string, string>) {
  return startTestApp({ clock: new ManualClock(QUESTION_SET_NOW), content: await semesterContent(), ...(env ? { env } : {}) });
}
