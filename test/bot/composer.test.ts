import { describe, expect, it } from 'vitest';
import { Composer, normalizeText, run } from '../../src/bot/composer.ts';
import type { BotContext } from '../../src/bot/context.ts';
import { understandings } from '../../src/bot/understanding.ts';

const ctxFor = (text: string) => {
  const understand = understandings({ now: () => Date.parse('2016-09-21T10:00:00+08:00') });
  return {
    text,
    message: { type: 'text', content: text },
    handledBy: undefined,
    match: undefined,
    understand,
    understood: understand(text),
  } as unknown as BotContext;
};

describe('composer', () => {
  it('runs middleware in order and stops at the first matching handler', async () => {
    const seen: string[] = [];
    const c = new Composer()
      .use(async (_ctx, next) => {
        seen.push('mw');
        await next();
      })
      .hears('a', ['帮助', 'help'], () => void seen.push('a'))
      .hears('b', /^第(.+)条$/, (ctx) => void seen.push(`b:${ctx.match?.[1]}`))
      .hears(
        'c',
        () => true,
        () => void seen.push('c'),
      );
    await c.middleware()(ctxFor('ＨＥＬＰ。'), async () => {});
    await c.middleware()(ctxFor('第四十七条'), async () => {});
    await c.middleware()(ctxFor('别的'), async () => {});
    expect(seen).toEqual(['mw', 'a', 'mw', 'b:四十七', 'mw', 'c']);
  });

  it('says which handler would take a text without running it, through nested composers', async () => {
    const ran: string[] = [];
    const inner = new Composer().parses(
      'number',
      (t) => (/^\d+$/.test(t) ? Number(t) : undefined),
      () => void ran.push('number'),
    );
    const c = new Composer()
      .use(async (_ctx, next) => next()) // plain middleware cannot be asked, and is passed over
      .hears('help', ['帮助'], () => void ran.push('help'))
      .use(inner)
      .hears('rest', /./, () => void ran.push('rest'));
    expect(c.wouldHandle('帮助', ctxFor('帮助'))).toBe('help');
    expect(c.wouldHandle('42', ctxFor('42'))).toBe('number');
    expect(c.wouldHandle('别的', ctxFor('别的'))).toBe('rest');
    expect(c.wouldHandle('', ctxFor(''))).toBeUndefined();
    expect(ran).toEqual([]);
    await c.middleware()(ctxFor('42'), async () => {});
    expect(ran).toEqual(['number']);
  });

  it('calling next twice is an error', async () => {
    await expect(
      run(
        [
          async (_ctx, next) => {
            await next();
            await next();
          },
        ],
        ctxFor('x'),
      ),
    ).rejects.toThrow(/next\(\) called twice/);
  });

  it('normalises full-width letters, case, spaces and trailing punctuation', () => {
    expect(normalizeText('  ＨＥＬＰ！ ')).toBe('help');
    expect(normalizeText('帮助？')).toBe('帮助');
  });
});
