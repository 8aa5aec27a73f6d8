import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/spawn-service.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every module a file imports (static and type imports), resolved against the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+'([^']+)'/gm)]
    .map((m) => m[1]!)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => path.relative(ROOT, path.resolve(path.dirname(file), spec)));
}

describe('layers know only what is below them', () => {
  // The storage keeps its own shapes (tokens, recipients); the bot core and the handlers know no protocol: what
  // happened to a delivery reaches the office's commands in words, from src/jobs/delivery-status.ts.
  for (const layer of ['src/storage', 'src/bot', 'handlers']) {
    it(`${layer} imports nothing from src/wecom`, () => {
      const found = sources(path.join(ROOT, layer)).flatMap((file) =>
        importsOf(file)
          .filter((target) => target.startsWith('src/wecom/'))
          .map((target) => `${path.relative(ROOT, file)} → ${target}`),
      );
      expect(found).toEqual([]);
    });
  }

  it("src/config.ts is the service's only reader of process.env", () => {
    const readers = sources(path.join(ROOT, 'src'))
      .filter((file) => path.relative(ROOT, file) !== 'src/config.ts')
      .filter((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .some((line) => !/^\s*(\*|\/\/)/.test(line) && /\bprocess\.env\b/.test(line)),
      )
      .map((file) => path.relative(ROOT, file));
    expect(readers).toEqual([]);
  });
});
