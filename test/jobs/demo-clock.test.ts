import { afterEach, describe, expect, it, vi } from 'vitest';
import { DemoClock } from '../../src/clock.ts';
import { AgendaScheduler } from '../../src/jobs/agenda-scheduler.ts';
import type { Broadcaster } from '../../src/jobs/broadcaster.ts';
import { createLogger } from '../../src/logger.ts';
import { semesterContent } from '../helpers/content.ts';

afterEach(() => void vi.useRealTimers());

describe('the demo clock (BOT_NOW)', () => {
  it('starts at the chosen instant and runs on with real time', () => {
    let real = 1_000_000;
    const clock = new DemoClock(Date.parse('2016-09-21T02:00:00Z'), () => real);
    expect(new Date(clock.now()).toISOString()).toBe('2016-09-21T02:00:00.000Z');
    real += 90_000;
    expect(new Date(clock.now()).toISOString()).toBe('2016-09-21T02:01:30.000Z');
  });

  it("fires the weekly agenda at the demo's Monday 08:00 (Beijing), not the wall clock's", async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-27T12:00:00Z'), toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const weeks: number[] = [];
    const broadcaster = { run: async ({ week }: { week: number }) => void weeks.push(week) } as unknown as Broadcaster;
    // Sunday 18 September 2016, 23:59:30 in Beijing: half a minute before week 3, no push due within catch-up.
    const clock = new DemoClock(Date.parse('2016-09-18T23:59:30+08:00'));
    const scheduler = new AgendaScheduler(await semesterContent(), broadcaster, clock, createLogger('silent'));
    expect(await scheduler.start()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(8 * 3600_000); // Monday 07:59:30: not yet
    expect(weeks).toEqual([]);
    await vi.advanceTimersByTimeAsync(60_000); // Monday 08:00:30
    expect(weeks).toEqual([3]);
    await vi.advanceTimersByTimeAsync(24 * 3600_000); // a day later: once a week only
    expect(weeks).toEqual([3]);
    await scheduler.stop();
  });
});
