/**
 * Routes paraphrases through the real bot: each message goes through the encrypted callback of the test app as its
 * intent's roster user (roles come from the roster), and the handler that took it is read from the callback's log
 * line (`handler`). A form a message started is cancelled, so the next message starts afresh.
 */
import { FORM_SCRIPT } from '../../scripts/bench/form-script.ts';
import { INTENTS, type IntentName } from './intents.ts';
import { SENDER, type Paraphrase } from './paraphrases.ts';

interface RoutingApp {
  wecomSide: { sendText(user: string, text: string): Promise<unknown> };
  bot: { idle(): Promise<void> };
  logLines: string[];
}

export interface Routed extends Paraphrase {
  handler: string | undefined;
  right: boolean;
}

/** The handler named by the last callback log line written after `from`. */
function handlerSince(lines: readonly string[], from: number): string | undefined {
  for (let i = lines.length - 1; i >= from; i--) {
    const entry = JSON.parse(lines[i]!) as { handler?: string; reply?: string };
    if ('reply' in entry) return entry.handler;
  }
  return undefined;
}

async function send(app: RoutingApp, user: string, text: string): Promise<string | undefined> {
  const from = app.logLines.length;
  await app.wecomSide.sendText(user, text);
  await app.bot.idle();
  return handlerSince(app.logLines, from);
}

/**
 * What an intent needs before its message: a correction is sent in the middle of the record form, at its
 * confirmation (every field answered, as the benches fill it), and the form is cancelled after it.
 */
const BEFORE: Partial<Record<IntentName, readonly string[]>> = { 'form-correction': FORM_SCRIPT.slice(0, -1) };

export async function route(app: RoutingApp, set: readonly Paraphrase[]): Promise<Routed[]> {
  const out: Routed[] = [];
  for (const p of set) {
    const user = SENDER[p.intent];
    for (const step of BEFORE[p.intent] ?? []) await send(app, user, step);
    const handler = await send(app, user, p.text);
    // A message that started or continued a form leaves it open: cancel it, so the next message starts afresh.
    if (BEFORE[p.intent] || handler === 'minutes' || handler === 'amend-record' || handler === 'amend-list' || handler === 'forms')
      await send(app, user, '取消');
    out.push({ ...p, handler, right: handler !== undefined ? (INTENTS[p.intent] as readonly string[]).includes(handler) : p.intent === 'off-topic' });
  }
  return out;
}

export interface Accuracy {
  intent: IntentName;
  right: number;
  total: number;
}

export function accuracy(routed: readonly Routed[]): Accuracy[] {
  return (Object.keys(INTENTS) as IntentName[]).map((intent) => {
    const mine = routed.filter((r) => r.intent === intent);
    return { intent, right: mine.filter((r) => r.right).length, total: mine.length };
  });
}
