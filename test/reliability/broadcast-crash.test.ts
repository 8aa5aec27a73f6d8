import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, systemClock } from '../../src/clock.ts';
import { loadContent } from '../../src/content/content.ts';
import { agendaJob, buildAgenda } from '../../src/jobs/agenda.ts';
import { Broadcaster } from '../../src/jobs/broadcaster.ts';
import { createLogger } from '../../src/logger.ts';
import { WeComClient } from '../../src/wecom/client.ts';
import { WeComSimulator } from '../../src/wecom/simulator.ts';
import { TEST_CREDENTIALS } from '../helpers/fake-wecom.ts';
import { SIGKILL_RUNS, sigkillTimeoutMs } from '../helpers/sigkill-runs.ts';
import { storeBackends } from '../helpers/store-backends.ts';
import { ROOT } from '../helpers/spawn-service.ts';
import { TEST_ENV } from '../helpers/test-app.ts';
import { FIXTURE_CONTENT } from '../helpers/content.ts';

/**
 * SIGKILL during a broadcast: `npm run broadcast` pushes a week's agenda to 24 targets (robots, app chats, members)
 * of a WeCom that answers in 50 ms, and is killed at a random moment once the first message is out. Then the service
 * starts on the same store after the claim lease (here: a broadcaster and its outbox over the store, the clock 11
 * minutes on, as the scheduler's catch-up and the outbox's sweep would run) and finishes the job.
 * - Nothing is sent twice: app messages to members are resent and WeCom's duplicate check drops the copy; a robot or
 *   app-chat part that was with WeCom when the sender died is not resent.
 * - Nothing is lost silently: every part reached its target, or its delivery is marked maybe delivered ("may have been
 *   delivered"), which 推送状态 shows to the admins (a WeCom that took a request whose sender then died may or may not
 *   deliver it: the simulator, like a real server, finishes what it received).
 */
const RUNS = SIGKILL_RUNS;
const WEEK = 3;
const ROBOTS = 12;
const CHATS = 6;
const MEMBERS = 6;

let sim: WeComSimulator;
let apiBase: string;
beforeAll(async () => {
  sim = new WeComSimulator({ ...TEST_CREDENTIALS, clock: systemClock, latencyMs: 50 });
  apiBase = await sim.start();
});
afterAll(() => sim.stop());

/** A content folder whose targets are this run's own (distinct keys, chats and users, so runs do not mix). */
function contentFor(run: string): { dir: string; keys: Record<string, string> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'bcrash-content-'));
  cpSync(path.join(ROOT, FIXTURE_CONTENT), dir, { recursive: true });
  const keys: Record<string, string> = {};
  const lines = ['schedule:', '  cron: "0 8 * * 1"', '  catchUpHours: 48', '  sendEmptyWeeks: false', 'targets:'];
  for (let i = 1; i <= ROBOTS; i++) {
    keys[`WECOM_ROBOT_KEY_R${i}`] = `${run}-robot-${i}`;
    lines.push(`  - name: 机器人群${i}`, '    robot:', `      keyEnv: WECOM_ROBOT_KEY_R${i}`);
  }
  for (let i = 1; i <= CHATS; i++) lines.push(`  - name: 应用群${i}`, '    appchat:', `      chatid: ${run}-chat-${i}`);
  for (let i = 1; i <= MEMBERS; i++) lines.push(`  - name: 成员${i}`, '    members:', '      users:', `        - ${run}-user-${i}`, '    format: text');
  writeFileSync(path.join(dir, 'targets.yaml'), `${lines.join('\n')}\n`);
  return { dir, keys };
}

describe.each(storeBackends)(`SIGKILL during a broadcast (${RUNS} runs, $name)`, (backend) => {
  it(
    'after a restart nothing is sent twice, and every part either arrived or is marked "may have been delivered"',
    async () => {
      let seed = 20160919 + backend.name.length;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const totals = { parts: 0, lost: 0, flagged: 0, flaggedButDelivered: 0, doubled: { robot: 0, appchat: 0, members: 0 }, finishedBeforeKill: 0 };

      for (let run = 0; run < RUNS; run++) {
        const tag = `${backend.name.slice(0, 2)}${run}-${Date.now().toString(36)}`;
        const { dir: contentDir, keys } = contentFor(tag);
        const { env, open } = await backend.prepare();
        const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WECOM_') && k !== 'DATABASE_URL'));
        const { WECOM_ROBOT_KEY_STAFF: _s, WECOM_ROBOT_KEY_STUDENTS: _t, ...creds } = TEST_ENV;
        const firstOut = new Promise<void>((resolve) => {
          const off = sim.onDelivery((d) => {
            if (d.to.includes(tag)) {
              off();
              resolve();
            }
          });
        });
        const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/broadcast.ts', '--week', String(WEEK)], {
          cwd: ROOT,
          env: { ...clean, ...creds, ...keys, ...env, WECOM_API_BASE: apiBase, CONTENT_DIR: contentDir, LOG_LEVEL: 'error' },
          stdio: 'ignore',
        });
        const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
        const first = await Promise.race([firstOut.then(() => true), exited.then(() => false)]);
        expect(first, 'the broadcast CLI sent nothing').toBe(true);
        await new Promise((r) => setTimeout(r, random() * 150));
        if (child.exitCode !== null) totals.finishedBeforeKill++;
        child.kill('SIGKILL');
        await exited;

        // The service starts later on the same store: the scheduled push's catch-up, then the outbox's sweep.
        const content = await loadContent(contentDir);
        const store = await open();
        const clock = new ManualClock(Date.now() + 11 * 60_000);
        const client = new WeComClient({ ...TEST_CREDENTIALS, apiBase, clock });
        const broadcaster = new Broadcaster({ content, store, client, clock, logger: createLogger('silent'), robotKeys: keys, sleep: async () => {} });
        await broadcaster.run({ week: WEEK });
        await broadcaster.outbox.sweep();

        for (const target of content.broadcast.targets) {
          const parts = buildAgenda(content, WEEK, target).map((p) => (p.msgtype === 'markdown' ? p.markdown.content : p.text.content));
          const address = target.robot ? keys[target.robot.keyEnv]! : target.appchat ? target.appchat.chatid : target.members!.users!.join('|');
          const got = sim.deliveries.filter((d) => d.to === address).map((d) => d.text);
          const kind = target.robot ? 'robot' : target.appchat ? 'appchat' : 'members';
          totals.parts += parts.length;
          const delivery = await store.deliveries.get(agendaJob(content, WEEK), target.name);
          for (const part of parts) {
            const copies = got.filter((x) => x === part).length;
            if (copies === 0 && delivery?.maybeDelivered) totals.flagged++;
            else if (copies === 0) totals.lost++;
            totals.doubled[kind] += Math.max(0, copies - 1);
          }
          if (delivery?.maybeDelivered && got.length === parts.length) totals.flaggedButDelivered++;
        }
        await store.close();
      }

      console.log(
        `[broadcast-crash] ${backend.name}: ${RUNS} SIGKILL runs (${totals.finishedBeforeKill} had finished first), ${totals.parts} agenda parts: ` +
          `${totals.lost} lost silently, ${totals.flagged} not delivered and marked "may have been delivered", ` +
          `${totals.flaggedButDelivered} marked so and delivered; doubled: ${totals.doubled.members} app messages, ${totals.doubled.robot} robot, ` +
          `${totals.doubled.appchat} app chat; WeCom dropped ${sim.duplicatesDropped} resent app messages as duplicates (all runs so far)`,
      );
      expect(totals.lost).toBe(0);
      expect(totals.doubled).toEqual({ robot: 0, appchat: 0, members: 0 });
    },
    sigkillTimeoutMs(RUNS),
  );
});
