import type { Clock } from '../clock.ts';
import { shanghaiDate, type CalendarDate } from '../content/dates.ts';
import { normaliseQuestion } from '../content/question-text.ts';

/** Normalises user text for matching: trims, folds full-width Latin/digits and case, drops trailing punctuation. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .trim()
    .replace(/[\s。.!！?？~～]+$/u, '')
    .toLowerCase();
}

/**
 * What the bot reads from one text, once (issue 20: "the step runs once per message"): its normalised forms and the
 * Shanghai day the message is read on. Every handler and every dry run (`wouldHandle`) of the same message asks
 * the same object instead of normalising the text and reading the clock again. The forms are computed on first use
 * and kept: a message that help answers never pays for the question form.
 */
export class Understanding {
  #normalized: string | undefined;
  #compact: string | undefined;
  #question: string | undefined;
  #remembered: Map<string, unknown> | undefined;

  constructor(
    /** The text as the handlers see it (trimmed). */
    readonly text: string,
    /** The message's day, shared by every text of the message. */
    private readonly day: () => CalendarDate,
  ) {}

  /** `normalizeText`: NFKC, trimmed, lower case, no trailing punctuation. What `hears` compares. */
  get normalized(): string {
    return (this.#normalized ??= normalizeText(this.text));
  }

  /** The normalised text without any white space (the command parsers' form). */
  get compact(): string {
    return (this.#compact ??= this.normalized.replace(/\s+/g, ''));
  }

  /** `normaliseQuestion`: what every question parser reads (traditional forms, 地 for 第, no spaces). */
  get question(): string {
    return (this.#question ??= normaliseQuestion(this.text));
  }

  /**
   * A conclusion about this text drawn once per message (the intent step's dry runs): `make` runs the first time a
   * key is asked, its answer is kept.
   */
  remember<T>(key: string, make: () => T): T {
    const kept = (this.#remembered ??= new Map());
    if (kept.has(key)) return kept.get(key) as T;
    const made = make();
    kept.set(key, made);
    return made;
  }

  /** Today in Asia/Shanghai, read from the injected clock once per message. */
  get today(): CalendarDate {
    return this.day();
  }
}

/**
 * The understanding of every text one message brings: its own and the parts a handler looks at (the questions of a
 * message of several). One per message; the day is read from the clock on first use and shared.
 */
export function understandings(clock: Clock): (text: string) => Understanding {
  let today: CalendarDate | undefined;
  const day = () => (today ??= shanghaiDate(clock.now()));
  const seen = new Map<string, Understanding>();
  return (text) => {
    let u = seen.get(text);
    if (!u) {
      u = new Understanding(text, day);
      // Bounded by the parts a message is split into (src/bot/limits.ts bounds those).
      seen.set(text, u);
    }
    return u;
  };
}
