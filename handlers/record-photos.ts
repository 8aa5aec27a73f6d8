import { Composer, normalizeText } from '../src/bot/composer.ts';
import type { BotContext } from '../src/bot/context.ts';
import type { ConversationMemory } from '../src/bot/conversation-memory.ts';
import { DONE } from '../src/bot/forms/control-words.ts';
import { messageKey } from '../src/bot/message.ts';
import type { Content } from '../src/content/content.ts';
import { formatMonthDay } from '../src/content/dates.ts';
import { RecordPolicy, receiptWithVersion, sessionLabel } from '../src/records/index.ts';
import { draftPhotoOwner, imageTypeOf, PHOTO_LIMITS, type ImageFailure, type ImageFetcher } from '../src/records/photos.ts';
import { FormStateUnreadableError, type Store, type Submission } from '../src/storage/ports.ts';
import { adminNames } from './minutes-sessions.ts';
// A cycle (minutes.ts asks parsePhotoCommand whether a text is a command), read only when a message is handled.
import { MINUTES_FORM_ID } from './minutes.ts';

/**
 * Photos of a session (sign-in sheet, the room), attached to its record. An image sent while the record form is being
 * filled in belongs to that draft and goes with the record when it is saved (handlers/minutes.ts moves it); after
 * 补充照片 <回执编号>, the images that follow belong to that record, until 完成 (or half an hour of silence: the
 * conversation memory's). Each image is fetched from WeCom, checked (an image by its bytes, within the limits of
 * src/records/photos.ts) and stored once per message. Whatever goes wrong with an image, the record is untouched and
 * the user is told why and what to do.
 */
export interface RecordPhotosDeps {
  content: Content;
  store: Store;
  memory: ConversationMemory;
  /** Absent where no WeCom is reachable (the offline CLI): images are then answered with a polite "not here". */
  images?: ImageFetcher;
}

const MB = 1024 * 1024;
const mb = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;
const RECEIPT = /JL-?\d{8}-?\d{3}/i;
const PHOTO_COMMAND = /^(?:补充|补交|添加|上传|追加|补)(?:现场)?(?:照片|图片)\s*(.*)$/u;

/** 补充照片 [回执编号]: the receipt (normalised to JL-YYYYMMDD-NNN) or '' when none was given; undefined if not this command. */
export function parsePhotoCommand(text: string): { receipt: string } | undefined {
  const m = PHOTO_COMMAND.exec(normalizeText(text).replace(/\s+/g, ' ').trim());
  if (!m) return undefined;
  const rest = m[1]!.trim();
  if (!rest) return { receipt: '' };
  const r = RECEIPT.exec(rest.replace(/\s+/g, ''));
  if (!r) return undefined;
  const digits = r[0].replace(/\D/g, '');
  return { receipt: `JL-${digits.slice(0, 8)}-${digits.slice(8)}` };
}

/** Where the user's next image goes: the record form's draft, or the record named by 补充照片; undefined: nowhere. */
interface PhotoTarget {
  owner: string;
  /** The record a draft amends: its photos count towards the draft's limit. */
  alsoCount?: string;
  /** The record's receipt, when the photos go straight to a record. */
  receipt?: string;
}

export function recordPhotos({ content, store, memory, images }: RecordPhotosDeps): Composer {
  const policy = RecordPolicy.of(content);
  const bot = new Composer();

  async function targetOf(ctx: BotContext): Promise<PhotoTarget | undefined> {
    let form;
    try {
      form = await store.forms.get(ctx.userId);
    } catch (err) {
      if (!(err instanceof FormStateUnreadableError)) throw err;
    }
    const now = ctx.clock.now();
    if (form && form.formId === MINUTES_FORM_ID && form.confirmedBy === undefined && now <= form.draftExpiresAt && form.draftId) {
      const basedOn = (form.answers.basedOn as { receipt?: string } | undefined)?.receipt;
      return { owner: draftPhotoOwner(form.draftId), ...(basedOn ? { alsoCount: basedOn } : {}) };
    }
    const receipt = memory.get(ctx.userId).photosFor;
    if (receipt) return { owner: receipt, receipt };
    // Just saved (the form's "confirmed" marker stays until the user's next text): the photos are for that record, as
    // 补充照片 with its receipt would have said; 完成 then ends them.
    if (form && form.formId === MINUTES_FORM_ID && form.confirmedBy !== undefined) {
      const saved = await store.submissions.get(String(form.answers.group), String(form.answers.session));
      if (saved) {
        memory.update(ctx.userId, { photosFor: saved.receipt });
        return { owner: saved.receipt, receipt: saved.receipt };
      }
    }
    return undefined;
  }

  bot.on('photo', 'image', async (ctx) => {
    const m = ctx.message;
    if (m.type !== 'image') return;
    const target = await targetOf(ctx);
    if (!target) {
      return ctx.reply(
        '收到图片。如需为学习讨论记录添加现场照片：填写记录（发送“提交记录”）时直接发送图片即可；已提交的记录请先发送“补充照片 回执编号”（如“补充照片 JL-20160920-001”），再发送图片。',
      );
    }
    const key = messageKey(m) ?? `${ctx.userId}:${ctx.clock.now()}`;
    const counted = [...(await store.photos.list(target.owner)), ...(target.alsoCount ? await store.photos.list(target.alsoCount) : [])];
    // A retried message whose photo is stored: the same answer, without fetching it again (its media may be gone).
    const known = counted.find((p) => p.messageKey === key);
    if (known) return ctx.reply(received(target, known.n, counted.length));
    if (counted.length >= PHOTO_LIMITS.maxPerRecord) return ctx.reply(full(content));
    if (!images) return ctx.reply('这里无法接收照片，请在企业微信中发送。');
    const fetched = await images.fetch(m.image, PHOTO_LIMITS.maxBytes);
    if (!fetched.ok) return ctx.reply(whyNot(fetched.why));
    const mime = imageTypeOf(fetched.bytes);
    if (!mime) return ctx.reply(`收到的文件不是照片（只接受 JPG、PNG、GIF、WebP 格式的图片），没有保存。${KEPT}`);
    const result = await store.photos.add(
      { owner: target.owner, messageKey: key, mime, bytes: fetched.bytes, addedBy: ctx.userId, addedAt: ctx.clock.now() },
      { maxCount: PHOTO_LIMITS.maxPerRecord, maxTotalBytes: PHOTO_LIMITS.maxTotalBytes, ...(target.alsoCount ? { alsoCount: target.alsoCount } : {}) },
    );
    if ('refused' in result) {
      if (result.refused === 'count') return ctx.reply(full(content));
      return ctx.reply(
        `这条记录的照片合计已有 ${mb(result.bytes)}，加上这张（${mb(fetched.bytes.length)}）会超过每条记录 ${PHOTO_LIMITS.maxTotalBytes / MB} MB 的上限，这张没有保存。请压缩后再发送。${KEPT}`,
      );
    }
    ctx.log.info({ owner: target.owner, n: result.photo.n, bytes: result.photo.size, mime }, 'photo stored');
    await ctx.reply(received(target, result.photo.n, counted.length + (result.added ? 1 : 0)));
  });

  // 补充照片 JL-20160920-001: the images that follow go to that record.
  bot.parses('add-photos', parsePhotoCommand, async (ctx, asked) => {
    let receipt = asked.receipt;
    const today = ctx.understood.today;
    const mine = policy.groupsOf(ctx.userId);
    if (mine.length === 0) {
      return ctx.reply(`抱歉，只有各学习组的记录员可以为学习讨论记录添加照片。如需登记，请联系管理员（${adminNames(content)}）。`);
    }
    const own = await store.submissions.list({ groupIds: mine.map((g) => g.id) });
    if (!receipt) {
      const open = own.filter((r) => !policy.isClosed(r.session, today) || content.isAdmin(ctx.userId));
      if (open.length === 0) return ctx.reply('您的学习组还没有可以添加照片的记录。填写记录（发送“提交记录”）时可以直接发送现场照片。');
      // One record can take photos: that one, without asking for its number.
      if (open.length === 1) receipt = open[0]!.receipt;
      else
        return ctx.reply(
          `要为哪条记录添加照片？请发送“补充照片 回执编号”，例如“补充照片 ${open[0]!.receipt}”。\n${open.map((r) => describe(content, r)).join('\n')}`,
        );
    }
    const draft = await targetOf(ctx);
    if (draft && !draft.receipt) {
      return ctx.reply(`您正在填写一份学习讨论记录，现在发送的照片会随这份记录一起保存。要为回执 ${receipt} 添加照片，请先提交或取消当前的填写。`);
    }
    const record = own.find((r) => r.receipt === receipt);
    if (!record) return ctx.reply(`没有找到回执 ${receipt} 的记录（只能为本学习组的记录添加照片）。发送“我的记录”查看已提交的记录和回执编号。`);
    const group = content.roster.groups.find((g) => g.id === record.groupId)!;
    const may = policy.mayAmend(ctx.userId, group, record.session, today);
    if (!may.ok && may.why === 'closed') {
      return ctx.reply(
        `${formatMonthDay(record.session)}学习的记录已于${formatMonthDay(policy.closingDate(record.session))}截止提交和修改，不能再添加照片。如需补充，请联系管理员（${adminNames(content)}）。`,
      );
    }
    const count = (await store.photos.list(receipt)).length;
    if (count >= PHOTO_LIMITS.maxPerRecord) return ctx.reply(full(content));
    memory.update(ctx.userId, { photosFor: receipt });
    const entry = policy.session(record.session);
    await ctx.reply(
      `请直接发送${group.name} ${entry ? sessionLabel(entry) : formatMonthDay(record.session)}记录（回执 ${receiptWithVersion(record)}）的现场照片：每张不超过 ${PHOTO_LIMITS.maxBytes / MB} MB，每条记录最多 ${PHOTO_LIMITS.maxPerRecord} 张${count ? `（已有 ${count} 张）` : ''}。发完请回复“完成”。`,
    );
  });

  // 完成 after the photos: the record's photos are counted, and the next images are not taken for it.
  bot.hears(
    'photos-done',
    (text, ctx) => memory.get(ctx.userId).photosFor !== undefined && DONE.includes(ctx.understand(text).normalized),
    async (ctx) => {
      const receipt = memory.get(ctx.userId).photosFor!;
      memory.update(ctx.userId, { photosFor: undefined });
      const count = (await store.photos.list(receipt)).length;
      await ctx.reply(count ? `好的，记录 ${receipt} 现有 ${count} 张现场照片。发送“查看记录 ${receipt}”查看记录。` : `好的，没有为记录 ${receipt} 添加照片。`);
    },
  );
  return bot;
}

const KEPT = '已填写的记录不受影响。';

function received(target: PhotoTarget, n: number, total: number): string {
  const left = PHOTO_LIMITS.maxPerRecord - total;
  if (target.receipt) {
    return `已为记录 ${target.receipt} 保存第 ${n} 张照片${left > 0 ? `，还可以发送 ${left} 张；发完请回复“完成”` : '，已达每条记录的上限'}。`;
  }
  return `已收到现场照片（第 ${total} 张），提交记录时一起保存${left > 0 ? `，还可以发送 ${left} 张` : '，已达每条记录的上限'}。请继续填写。`;
}

function full(content: Content): string {
  return `这条记录已有 ${PHOTO_LIMITS.maxPerRecord} 张照片，达到每条记录的上限，这张没有保存。如需更换照片，请联系管理员（${adminNames(content)}）。${KEPT}`;
}

function whyNot(why: ImageFailure): string {
  switch (why) {
    case 'too-large':
      return `这张图片超过 ${PHOTO_LIMITS.maxBytes / MB} MB，无法保存。请压缩后重新发送（发送时不要选“原图”）。${KEPT}`;
    case 'expired':
      return `这张图片在企业微信中已过期或无法获取（企业微信只保存 3 天），没有保存。请重新发送这张照片。${KEPT}`;
    case 'unreachable':
      return `暂时无法从企业微信取回这张照片（企业微信服务暂时无法访问），照片没有保存。请稍后重新发送这张照片。${KEPT}`;
    case 'refused':
      return `企业微信没有提供这张照片，照片没有保存。请重新发送；如多次出现，请联系管理员。${KEPT}`;
  }
}

function describe(content: Content, r: Submission): string {
  const g = content.roster.groups.find((x) => x.id === r.groupId);
  return `· ${g?.name ?? r.groupId} ${formatMonthDay(r.session)}：回执 ${r.receipt}`;
}
