import { describe, expect, it } from 'vitest';
import { SIGKILL_RUNS, sigkillTimeoutMs } from '../helpers/sigkill-runs.ts';
import { storeBackends } from '../helpers/store-backends.ts';
import { spawnService } from '../helpers/spawn-service.ts';

/**
 * Crash safety: the service is killed with SIGKILL at a random moment while two admins keep submitting discussion
 * records through the real callback (the local chat endpoint), on lowdb and on PostgreSQL. After every kill the store
 * must load, and every submission the bot acknowledged with a receipt must be there (at that revision or a later one).
 */
const RUNS = SIGKILL_RUNS;

const SUMMARY = '大家结合工作实际，围绕落实中央八项规定精神和建设诚信职院展开讨论，提出了改进作风的具体措施。';

interface Ack {
  groupIndex: number;
  session: string;
  receipt: string;
  revision: number;
}

describe.each(storeBackends)(`SIGKILL while submissions are being written (${RUNS} runs, $name)`, (backend) => {
  it(
    'loses no acknowledged submission and always leaves a loadable store',
    async () => {
      const { env, open } = await backend.prepare();
      const acks: Ack[] = [];
      let seed = 20160920;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      // The form lists a staff group's three sessions (9月27日, 20日, 6日) and a student group's one (9月20日: 业务学习活动
      // is the staff's); the session a receipt is for is in its number.
      const sessionCount = [3, 3, 1];

      for (let run = 0; run < RUNS; run++) {
        const svc = await spawnService(env);
        let killed = false;
        // The kill comes after a count of work, not a time (a loaded machine would otherwise kill before anything was
        // acknowledged): once this run has a receipt, after a random number (0–24) of further answers, so it lands
        // anywhere in the two users' next steps, confirmations and their writes included.
        let answers = 0;
        let receiptAt: number | undefined;
        const extra = Math.floor(random() * 25);
        const send = async (user: string, text: string) => {
          const res = await fetch(`${svc.baseUrl}/dev/chat/send`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ user, text }),
          });
          const answer = ((await res.json()) as { passiveReply?: string }).passiveReply ?? '';
          answers++;
          return answer;
        };
        const submitter = async (user: string) => {
          while (!killed) {
            const groupIndex = Math.floor(random() * 3);
            const sessionIndex = Math.floor(random() * sessionCount[groupIndex]!);
            try {
              await send(user, '取消');
              await send(user, '提交记录');
              await send(user, String(groupIndex + 1));
              // A group's record for the session, once there, is amended (the form offers it instead of a blank one).
              const chosen = await send(user, String(sessionIndex + 1));
              if (chosen.includes('修改这份记录')) await send(user, '修改这份记录');
              else for (const text of ['好', '跳过', '10人', '无', '好', '1', SUMMARY, '完成', '好']) await send(user, text);
              const receipt = await send(user, '确认');
              const m = /回执编号：(JL-\d{8}-\d{3})(?:（第 (\d+) 版）)?/.exec(receipt);
              if (m)
                acks.push({
                  groupIndex,
                  session: `${m[1]!.slice(3, 7)}-${m[1]!.slice(7, 9)}-${m[1]!.slice(9, 11)}`,
                  receipt: m[1]!,
                  revision: Number(m[2] ?? 1),
                });
              if (m) receiptAt ??= answers;
            } catch {
              return; // the process is gone: nothing after this was acknowledged
            }
          }
        };
        let stopped = 0;
        const drivers = [submitter('dangban-wang'), submitter('dangban-li')].map((d) => d.finally(() => stopped++));
        // (Both drivers stopping means the service died by itself: the receipt count below then fails the test.)
        while ((receiptAt === undefined || answers < receiptAt + extra) && stopped < 2) await new Promise((r) => setTimeout(r, 2));
        killed = true;
        await svc.stop('SIGKILL');
        await Promise.all(drivers);
      }

      const store = await open();
      const groups = ['staff-office', 'staff-teaching', 'student-accounting'];
      const missing: Ack[] = [];
      for (const ack of acks) {
        const record = await store.submissions.get(groups[ack.groupIndex]!, ack.session);
        if (!record || record.receipt !== ack.receipt || record.revision < ack.revision) missing.push(ack);
      }
      await store.close();
      console.log(`[crash] ${backend.name}: ${RUNS} SIGKILL runs, ${acks.length} acknowledged submissions, ${missing.length} missing`);
      expect(acks.length).toBeGreaterThanOrEqual(RUNS); // a receipt in every run at least
      expect(missing).toEqual([]);
    },
    sigkillTimeoutMs(RUNS),
  );
});
