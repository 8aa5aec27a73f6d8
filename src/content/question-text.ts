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
