import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { ContentError } from '../errors.ts';

/**
 * Reads a YAML content file and validates it with a zod schema. Every problem becomes a ContentError naming the
 * file, the line and the field, so whoever edits the content can fix it; the service refuses to start on it.
 */
export interface YamlContent<T> {
  data: T;
  /** The line of the value at a path (for errors found after parsing, such as cross-field checks). */
  lineOf(path: Array<string | number>): number | undefined;
}

export async function loadYamlFile<S extends z.ZodType>(file: string, label: string, schema: S): Promise<YamlContent<z.infer<S>>> {
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (err) {
    throw new ContentError(label, undefined, undefined, `无法读取文件 (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseYamlContent(source, label, schema);
}

export function parseYamlContent<S extends z.ZodType>(source: string, label: string, schema: S): YamlContent<z.infer<S>> {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) throw new ContentError(label, lines.linePos(syntax.pos[0]).line, undefined, `YAML 格式错误：${syntax.message.split('\n')[0]}`);
  const lineOf = (path: Array<string | number>) => {
    // The deepest node that exists on the path gives the line.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const result = schema.safeParse(doc.toJS());
  if (result.success) return { data: result.data, lineOf };
  const issue = result.error.issues[0]!;
  const path = issue.path as Array<string | number>;
  return raise(label, lineOf(path), path.join('.') || undefined, issue.message);
}

function raise(file: string, line: number | undefined, field: string | undefined, reason: string): never {
  throw new ContentError(file, line, field, reason);
}
