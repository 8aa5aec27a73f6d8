/**
 * Whether a text reads as a question by its words alone: a question mark, a question particle (吗, 么, 呢 at the end),
 * a question word (什么, 怎么, 哪, 谁, 几 …, 能不能, 是否 …) or the schedule's words (本周安排, 下周). The form asks
 * this about a text that is not the answer of its step, or that a loose reader (free text, a list of names) would
 * otherwise keep: such a text is answered as a question and the step asked again, rather than saved as a place or
 * an attendee. The question handlers' own dry run misses most of these, because it leaves keyword search out on
 * purpose (nearly any text shares a word with some article); these words tell a question from an answer instead.
 */
const QUESTION_MARK = /[?？]/;
/** Particles that end a question: 可以吗, 交了么, 地点呢. */
const PARTICLE = /(?:吗|(?<![什怎这那多])么|呢|嘛)[啊呀哈]?$/;
const QUESTION_WORD =
  /什么|啥|怎么|怎样|咋|如何|为什么|为何|哪|谁|(?<![0-9零〇一二两三四五六七八九十百千])几(?!乎)|多少|多久|多长|能不能|可不可以|可以不|会不会|是不是|有没有|要不要|需不需要|该不该|行不行|对不对|是否|能否|可否|吗/;
/** Asking about the agenda: 本周安排, 下周有什么, 这周学习, 下一次活动. 上周 alone names a past session, so is left out. */
const SCHEDULE_WORD = /(?:本|这|下)(?:个)?(?:周|星期|礼拜)(?![一二三四五六日天1-7])|下一?次|安排|日程/;
/**
 * The same words used as indefinites are statements, not questions: 哪里都行, 谁都没来, 什么也没说, 没什么, 哪怕.
 * 说点什么. They are taken out before looking for question words (a particle after them still makes a question: 哪里都行吗).
 */
const INDEFINITE = /(?:什么|啥|哪里|哪儿|哪个|哪|谁|怎么)(?:都|也)|(?:没有?|没啥|点|些)(?:什么|啥)|哪怕|无论|不管/g;

export function readsAsQuestion(text: string): boolean {
  const t = text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[。.!！~～…]+$/, '');
  if (!t) return false;
  if (QUESTION_MARK.test(t) || PARTICLE.test(t)) return true;
  const plain = t.replace(INDEFINITE, '，');
  return QUESTION_WORD.test(plain) || SCHEDULE_WORD.test(plain);
}
