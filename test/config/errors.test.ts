import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as errors from '../../src/errors.ts';
import { AppError, CALLBACK_ERRORS, ERRORS, HTTP_ERRORS } from '../../src/errors.ts';
import { ROOT } from '../helpers/spawn-service.ts';

const doc = readFileSync(path.join(ROOT, 'docs/errors.md'), 'utf8');
/** The codes docs/errors.md names in its tables' first column. */
const documented = [...doc.matchAll(/^\| `([A-Za-z0-9_]+)` \|/gm)].map((m) => m[1]!);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('the error table', () => {
  const codes = [...Object.keys(ERRORS), ...Object.keys(CALLBACK_ERRORS), ...Object.keys(HTTP_ERRORS)];

  it('docs/errors.md lists every code, and no code the table does not have', () => {
    expect(codes.filter((c) => !documented.includes(c))).toEqual([]);
    expect(documented.filter((c) => !codes.includes(c))).toEqual([]);
  });

  it('each class made by createError has its table name and code', () => {
    const made = Object.entries(errors).filter(([, v]) => typeof v === 'function' && v.prototype instanceof AppError);
    expect(made.length).toBeGreaterThan(10);
    for (const [exported, cls] of made) {
      if (exported === 'CallbackError') continue; // one class for the callback table's codes
      const entry = Object.entries(ERRORS).find(([, e]) => e.class === exported);
      expect(entry, `${exported} is not in ERRORS`).toBeDefined();
      expect((cls as { name: string }).name).toBe(exported);
    }
    const e = new errors.UnknownDeliveryError('agenda:w3', 'robot', { cause: new Error('x') });
    expect([e.code, e.name, e.message, e instanceof AppError, (e.cause as Error).message]).toEqual([
      'ERR_DELIVERY_UNKNOWN',
      'UnknownDeliveryError',
      '没有这条投递记录 (no delivery): agenda:w3 → robot',
      true,
      'x',
    ]);
  });

  it('nothing in src/ or handlers/ throws a plain Error (or TypeError, RangeError): every error has its code', () => {
    const plain = /\bnew (Error|TypeError|RangeError)\(|\bextends (Error|TypeError|RangeError)\b/;
    const offenders = [...sources(path.join(ROOT, 'src')), ...sources(path.join(ROOT, 'handlers'))]
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ where: `${path.relative(ROOT, file)}:${i + 1}`, line })),
      )
      .filter(({ where, line }) => plain.test(line) && !(where.startsWith('src/errors.ts') && /class AppError extends Error/.test(line)))
      .map(({ where, line }) => `${where} ${line.trim()}`);
    expect(offenders).toEqual([]);
  });
});
