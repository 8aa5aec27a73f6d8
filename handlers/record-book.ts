import { Composer } from '../src/bot/composer.ts';
import { jobName } from '../src/jobs/job-names.ts';
import { recordFile } from '../src/records/files.ts';
import { notebookGroups } from '../src/records/notebook.ts';
import { RecordPolicy } from '../src/records/policy.ts';
import { parseRecordFileRequest, resolveRecordFileRequest } from '../src/records/request.ts';
import type { HandlerDeps } from './deps.ts';
import { adminNames } from './minutes-sessions.ts';

/**
 * 导出记录本 [组] [月/本学期]: the 学习记录本 as a Word file; 导出记录表 …: the records as a spreadsheet. An admin may
 * ask for any group or all of them (one file for the whole organisation); a secretary gets their own groups'. The
 * file arrives as a WeCom file message through the outbox (kept and resent for an hour if WeCom is down).
 */
export function recordBook({ content, store, outbox }: HandlerDeps): Composer {
  const bot = new Composer();
  bot.parses(
    'record-book',
    (text) => parseRecordFileRequest(text),
    async (ctx, req) => {
      const today = ctx.understood.today;
      const read = resolveRecordFileRequest(req, content, today);
      if ('problem' in read) return ctx.reply(read.problem);
      const who = notebookGroups(content, ctx.userId, read.groups);
      if ('refused' in who) {
        return ctx.reply(
          who.refused === 'not-secretary'
            ? `抱歉，学习记录本只发给各学习组的记录员和管理员，您不在名单中。如需要，请联系管理员（${adminNames(content)}）。`
            : `抱歉，您只能导出自己负责的学习组（${RecordPolicy.of(content)
                .secretaryGroups(ctx.userId)
                .map((g) => g.name)
                .join('、')}）的记录。`,
        );
      }
      const what = req.kind === 'notebook' ? '学习记录本（Word）' : '学习讨论记录明细表（Excel）';
      if (read.scope.sessions.length === 0) return ctx.reply(`${read.period}没有需要提交学习讨论记录的学习活动，没有可导出的${what}。`);
      const file = await recordFile(req.kind, { content, store, now: ctx.clock.now() }, read.scope, who.groups, read.period);
      const sent = await outbox.sendFile(jobName.export(ctx.userId, ctx.clock.now()), ctx.userId, file, { retryForMs: 3600_000 });
      const whose = who.groups.length === content.roster.groups.length && who.groups.length > 1 ? '全部学习组' : who.groups.map((g) => g.name).join('、');
      return ctx.reply(
        sent.outcome === 'sent'
          ? `已将${whose}${read.period}的${what}发给您：${file.filename}`
          : `${whose}${read.period}的${what}已生成，企业微信暂时无法送达，将在一小时内自动重发。`,
      );
    },
  );
  return bot;
}
