/**
 * What every question parser does to a message first, so each one reads the same text: full-width to half-width
 * (NFKC), the traditional forms people type on a Hong Kong or Taiwan keyboard layout to the simplified forms the
 * documents use, the commonest pinyin-input slips before a numbered heading (地/弟/低/帝 for 第), and no spaces.
 */
const TRADITIONAL: Record<string, string> = Object.fromEntries(
  [...'條規區們麼麽說講嗎這個內學習週號會議師專題項關於裡誰組織負責節課務動時間兩萬資處開紀禮讀員黨總職業與為國華幾還沒無後體錄'].map((c, i) => [c, '条规区们么么说讲吗这个内学习周号会议师专题项关于里谁组织负责节课务动时间两万资处开纪礼读员党总职业与为国华几还没无后体录'[i]!]),
);
const TRADITIONAL_CHARS = new RegExp(`[${Object.keys(TRADITIONAL).join('')}]`, 'g');

const NUMERAL = '[0-9零〇一二两三四五六七八九十百千万]';
/** 地四十七条, 弟47条: a slip for 第 right before a number that ends in 条/款/章/周/项. */
const SLIP_BEFORE_NUMBER = new RegExp(`[地弟低帝递](?=${NUMERAL}+[条款章周项节])`, 'g');

export function normaliseQuestion(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/甚[麼麽么]/g, '什么')
    .replace(TRADITIONAL_CHARS, (c) => TRADITIONAL[c]!)
    .replace(/\s+/g, '')
    .replace(SLIP_BEFORE_NUMBER, '第');
}

/** Words around an article reference that ask for it and nothing else: 请问 … 的内容是什么, 讲的啥, 说了啥呢. */
const ASKING_PREFIX = /^(请问|麻烦|劳驾|请|帮我|给我|我想|想)?(查|看|找|发|知道|了解|说说|讲讲|解释|念)?(一下|一查|看|下)?/;
export const ASKING_SUFFIX =
  /(的)?(具体)?(内容|原文|全文|条文|规定|意思)?(分别)?(是什么|是啥|是什么意思|是啥意思|什么意思|啥意思|讲了些什么|讲了些啥|说了些什么|说了些啥|怎么说的|是怎么规定的|是如何规定的|讲什么|说什么|说了什么|说了啥|说的啥|说啥|讲了什么|讲了啥|讲的啥|讲啥|讲的什么|讲的是什么|说的什么|说的是什么|写的什么|写了什么|写了啥|怎么说|怎么规定的?|如何规定的?|规定了什么|有哪些|有什么|呢|吗|啊|呀|哈|嘛)*(的?(内容|原文|全文|条文))?(呢|吗|啊|呀)*$/;

/** Whether `rest` (what is left of a question around the thing asked about) is only asking words. */
export function askingOnly(rest: string): boolean {
  const stripped = rest
    .replace(/[《》〈〉「」“”"'?？!！。，,.:：、~～\s]/g, '')
    .replace(ASKING_PREFIX, '')
    .replace(/^(那|那么|再)/, '')
    .replace(ASKING_SUFFIX, '')
    .replace(/^(whatis|what's|show|showme)/i, '')
    .replace(/(的)?(内容|原文|全文|条文)$/, '')
    .replace(/^(中的?|里的?|的)/, '');
  return stripped.length === 0;
}
