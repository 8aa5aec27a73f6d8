/**
 * Small talk: thanks, "got it", praise, goodbyes, laughter and "who are you / what can you do", alone or strung
 * together (谢谢啦, 辛苦了, 好的收到, 你是谁，能干嘛). Each gets a short friendly answer instead of "没有找到".
 * A message is small talk only when every one of its pieces is: "谢谢，第四十七条是什么" is a question.
 */
export type SmallTalk = 'identity' | 'greeting' | 'thanks' | 'praise' | 'ack' | 'farewell' | 'laugh';

const PARTICLES = /[啦了呀啊哈哦喔噢嘛呢吧哟呦嘞滴的~～]+$/u;
const ADDRESSEE = /(你|您|你们|大家|老师|小助手|助手|机器人|学习助手|亲)+$/u;

const KINDS: Array<[SmallTalk, RegExp]> = [
  [
    'identity',
    /^(你|您)?(是谁|是什么|是啥|叫什么(名字)?|叫啥|(是)?干(什么|啥|嘛)的|能干(什么|啥|嘛)|会干(什么|啥|嘛)|能做(什么|啥)|会做(什么|啥)|会(什么|啥)|可以做(什么|啥)|有什么用|有啥用|有什么功能|是机器人吗?|是真人吗?|是人吗?|是ai吗?)$/u,
  ],
  // A greeting with a particle or an addressee (你好呀, 老师早上好, 有人吗): the exact ones are the help handler's.
  ['greeting', /^(你好|您好|哈喽|嗨|hi|hello|早|早上好|上午好|中午好|下午好|晚上好|大家好|在吗?|在不在|有人吗?|有人在吗?|有没有人)$/u],
  ['thanks', /^(谢谢|多谢|感谢|谢了|谢啦|辛苦|麻烦|太感谢|非常感谢|万分感谢|thanks?|thankyou|thx|3q)$/u],
  ['praise', /^(你|您)?(真|很|太|好|挺)?(棒|厉害|不错|好用|牛|给力|聪明|赞|方便)$/u],
  ['ack', /^(好|好的|好滴|好嘞|收到|知道|知道了|明白|明白了|了解|懂|懂了|清楚|嗯|嗯嗯|行|ok|okay|没问题|可以)$/u],
  ['farewell', /^(再见|拜拜|拜|晚安|回头见|下次见|byebye|bye)$/u],
  ['laugh', /^(哈{2,}|呵{2,}|嘿{2,}|嘻{2,}|233+)$/u],
];

/** Pieces said before the point, which small talk may start with ("好的，谢谢"): ok / well. */
function kindOf(piece: string, split = true): SmallTalk | undefined {
  let p = piece.toLowerCase().replace(/\s+/g, '');
  // As typed first (能干嘛, 哈哈哈 end in particles), then without trailing particles and addressees (谢谢老师啦).
  // Particles first, then addressees, one at a time: 你是机器人吗 is asked about the bot before 机器人 reads as whom.
  for (let i = 0; i < 8 && p; i++) {
    for (const [kind, re] of KINDS) if (re.test(p)) return kind;
    const q = p.replace(PARTICLES, '');
    p = q !== p ? q : p.replace(ADDRESSEE, '');
  }
  if (!p) return undefined;
  // Two kinds run together without punctuation (好的收到, 好的谢谢, 收到谢谢): one cut, short pieces only.
  if (!split || p.length > MAX_RUN_TOGETHER) return undefined;
  for (let cut = 1; cut < p.length; cut++) {
    const a = kindOf(p.slice(0, cut), false);
    const b = a && kindOf(p.slice(cut), false);
    if (a && b) return rank(a) <= rank(b) ? a : b;
  }
  return undefined;
}

const MAX_RUN_TOGETHER = 10;
const ORDER: SmallTalk[] = ['identity', 'greeting', 'thanks', 'praise', 'farewell', 'ack', 'laugh'];
const rank = (k: SmallTalk) => ORDER.indexOf(k);

/** The kind of small talk a message is (the weightiest of its pieces), or undefined if any piece is something else. */
export function smallTalk(text: string): SmallTalk | undefined {
  const pieces = text
    .normalize('NFKC')
    .split(/[\s,，。.!！?？、;；…]+/u)
    .filter(Boolean);
  if (!pieces.length || pieces.length > 4) return undefined;
  let found: SmallTalk | undefined;
  for (const piece of pieces) {
    const k = kindOf(piece);
    if (!k) return undefined;
    if (!found || rank(k) < rank(found)) found = k;
  }
  return found;
}

export function smallTalkReply(kind: SmallTalk, organisation: string): string {
  switch (kind) {
    case 'identity':
      return `我是${organisation}的学习助手（自动回复）：可以查学习资料的条文、学习安排和讨论题，帮学习组记录员提交学习记录。发送“帮助”看具体怎么问。`;
    case 'greeting':
      return `您好，欢迎使用${organisation}学习助手！发送“帮助”查看我能做什么。`;
    case 'thanks':
      return '不客气！还有问题随时问我，发送“帮助”查看我能做什么。';
    case 'praise':
      return '谢谢夸奖！有问题随时问我。';
    case 'ack':
      return '好的。还有需要随时找我，发送“帮助”查看我能做什么。';
    case 'farewell':
      return '再见！有问题随时来问。';
    case 'laugh':
      return '😊 有什么想查的，直接问我就好，发送“帮助”查看用法。';
  }
}
