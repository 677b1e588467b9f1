// Moved to src/core/text/persian.ts (the pure core); this path stays for existing imports.
export * from '../core/text/persian.js';
