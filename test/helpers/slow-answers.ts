import { Composer } from '../../src/bot/composer.ts';

/**
 * Handlers for stream tests: "慢NxS" is answered only when released, with N replies of about S characters each (a long
 * multi-question answer); anything else gets "快的回答" at once.
 */
export function slowAnswers() {
  const gates: Array<() => void> = [];
  const handlers = new Composer()
    .use(async (ctx) => {
      const m = /^慢(\d+)x(\d+)$/.exec(ctx.text ?? '');
      if (!m) return ctx.reply('快的回答');
      await new Promise<void>((r) => gates.push(r));
      for (let i = 0; i < Number(m[1]); i++) await ctx.reply(`第${i + 1}问的回答：${'高等学校实行教师职务制度。'.repeat(Math.ceil(Number(m[2]) / 13))}`);
    })
    .middleware();
  return { handlers, releaseAll: () => gates.splice(0).forEach((r) => r()) };
}
