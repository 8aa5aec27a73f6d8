import { ManualClock } from '../../src/clock.ts';
import { WeComClient, type WeComClientOptions } from '../../src/wecom/client.ts';
import { WeComSimulator } from '../../src/wecom/simulator.ts';

export const TEST_CREDENTIALS = {
  corpId: 'wwtest0123456789',
  agentId: '1000002',
  secret: 'test-secret-value-0123456789',
  token: 'TestToken123',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
} as const;

/** Starts the simulated WeCom on loopback and a client pointed at it; sleeps are recorded, not waited. */
export async function startFakeWeCom(clock = new ManualClock(Date.UTC(2016, 8, 19, 0, 0)), clientOptions: Partial<WeComClientOptions> = {}) {
  const sim = new WeComSimulator({ ...TEST_CREDENTIALS, clock });
  const apiBase = await sim.start();
  const sleeps: number[] = [];
  const client = new WeComClient({
    ...TEST_CREDENTIALS,
    apiBase,
    clock,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...clientOptions,
  });
  return { sim, client, clock, sleeps, apiBase, stop: () => sim.stop() };
}
