import fs from 'node:fs';
import path from 'node:path';

let cached: string | null = null;

/** The project folder (where package.json is), from src/ under ts and from dist/ once built. */
export function projectRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'seed'))) {
      return (cached = dir);
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`package.json not found above ${__dirname}`);
    dir = up;
  }
}

export function seedFile(name: string): string {
  return path.join(projectRoot(), 'seed', 'data', name);
}
