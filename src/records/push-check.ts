import type { Content } from '../content/content.ts';
import { ContentError } from '../errors.ts';
import { GROUP_KIND_LABEL, RecordPolicy } from './policy.ts';

/**
 * The push and the records must agree: a target read by one kind of group (`audience`) that leaves out, by its
 * `activities`, a session that kind owes a record for would never tell them about it, while the office counts them
 * missing and reminds them. Such content is refused at start-up with the target's line.
 */
export function checkPushCoversRecords(content: Content, file: string): void {
  const policy = RecordPolicy.of(content);
  content.broadcast.targets.forEach((t, i) => {
    if (!t.audience || !t.activities) return;
    const left = [
      ...new Set(
        policy
          .sessions()
          .filter((e) => policy.kindsOwing(e).includes(t.audience!) && !t.activities!.includes(e.activity))
          .map((e) => e.activity),
      ),
    ];
    if (left.length) {
      throw new ContentError(
        file,
        content.targetLines.get(t.name),
        `targets.${i}.activities`,
        `推送对象“${t.name}”面向${GROUP_KIND_LABEL[t.audience]}学习组，但没有推送需要他们提交记录的活动：${left.join('、')}。请在 activities 中加上，或在 roster.yaml 的 records.owedBy 中说明这些活动不需要${GROUP_KIND_LABEL[t.audience]}学习组提交记录`,
      );
    }
  });
}
