// Moved to src/core/dates/ (the pure core); this path stays for existing imports.
export * from '../core/dates/index.js';
