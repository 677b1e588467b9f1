// Jest loads globalSetup outside its module system, where moduleNameMapper does not apply:
// map our nodenext-style './x.js' imports to the TypeScript sources here too.
import Module from 'node:module';

type Resolve = (request: string, ...rest: unknown[]) => string;
const mod = Module as unknown as { _resolveFilename: Resolve };
const original = mod._resolveFilename;
mod._resolveFilename = function (request: string, ...rest: unknown[]): string {
  try {
    return original.call(this, request, ...rest);
  } catch (e) {
    if (/^\.{1,2}\/.*\.js$/.test(request))
      return original.call(this, request.replace(/\.js$/, '.ts'), ...rest);
    throw e;
  }
};
