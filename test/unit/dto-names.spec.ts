import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '..', '..', 'src');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

// @nestjs/swagger keys the document's schemas by class name: two response classes of one name
// become one schema, and one of them loses its fields from the document (the reconciliation's
// source reference once lost url and published that way).
describe('classes the OpenAPI document describes', () => {
  it('have one name each across src/', () => {
    const seen = new Map<string, string[]>();
    for (const file of tsFiles(SRC)) {
      const text = readFileSync(file, 'utf8');
      if (!text.includes('@nestjs/swagger')) continue;
      for (const m of text.matchAll(/^export (?:abstract )?class (\w+)/gm)) {
        seen.set(m[1], [...(seen.get(m[1]) ?? []), path.relative(SRC, file)]);
      }
    }
    expect(seen.size).toBeGreaterThan(50);
    const twice = [...seen].filter(([, files]) => files.length > 1);
    expect(twice).toEqual([]);
  });
});
