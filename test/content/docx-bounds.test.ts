import { describe, expect, it } from 'vitest';
import { checkDocxBounds, DocxTooLargeError, DocxUnreadableError, DOCX_LIMITS } from '../../src/content/import/docx-bounds.ts';
import { docxToPlanText } from '../../src/content/import/docx.ts';
import { docxOf } from '../helpers/docx.ts';
import { docxBomb } from '../helpers/zip-bomb.ts';

/**
 * A .docx is bounded by what it inflates to, not by what it says: word/document.xml is counted as it inflates and
 * the file refused past the limit, before the Word reader holds any of it. The page's 413 is in plan-import-page.test.ts.
 */
const KB = 1024;
const MB = 1024 * KB;

describe('a .docx inflating too far is refused before it is read', () => {
  it('a real document well under the limits is read as before', async () => {
    await expect(checkDocxBounds(await docxOf('关于学习的通知\n一、学习时间'))).resolves.toBeUndefined();
    expect((await docxToPlanText(await docxOf('关于学习的通知\n一、学习时间'))).text).toContain('一、学习时间');
  });

  it('the bomb file itself is a Word file the reader accepts when within the limits (the test file is sound)', async () => {
    const { text } = await docxToPlanText(await docxBomb(256 * KB));
    expect(text.trim()).toBe('');
  });

  it('word/document.xml past its limit is refused, whatever size its headers claim', async () => {
    const limits = { documentBytes: 2 * MB, totalBytes: 8 * MB };
    for (const declared of [undefined, 1000]) {
      const bomb = await docxBomb(3 * MB, declared);
      expect(bomb.length).toBeLessThan(10 * KB);
      const err = await docxToPlanText(bomb, limits).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DocxTooLargeError);
      expect(err).toMatchObject({ entry: 'word/document.xml', limitBytes: 2 * MB });
    }
    // Just under the limit it is read: the bound is what inflates, not a guess from the compressed size.
    await expect(checkDocxBounds(await docxBomb(2 * MB - 64 * KB, 1000), limits)).resolves.toBeUndefined();
  });

  it('the default limits refuse a bomb of 256 MB from a file of a few hundred KB', { timeout: 60_000 }, async () => {
    const bomb = await docxBomb(256 * MB, 4096);
    expect(bomb.length).toBeLessThan(512 * KB);
    await expect(checkDocxBounds(bomb)).rejects.toMatchObject({ limitBytes: DOCX_LIMITS.documentBytes });
  });

  it('a file that is no zip is unreadable, not too large', async () => {
    await expect(checkDocxBounds(Buffer.from('PK\u0003\u0004 not really a zip'))).rejects.toBeInstanceOf(DocxUnreadableError);
  });
});
