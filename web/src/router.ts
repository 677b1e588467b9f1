import { useEffect, useState } from 'react';

/** Hash routes (#/search, #/victims/<id>): every page has an address the browser can keep. */
export function useRoute(): [string, string[]] {
  const read = (): string => window.location.hash.replace(/^#/, '') || '/';
  const [path, setPath] = useState(read);
  useEffect(() => {
    const on = (): void => setPath(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  const clean = path.split('?')[0];
  return [clean, clean.split('/').filter(Boolean)];
}

export function go(path: string): void {
  window.location.hash = path;
}

export function routeQuery(): URLSearchParams {
  const h = window.location.hash;
  const i = h.indexOf('?');
  return new URLSearchParams(i >= 0 ? h.slice(i + 1) : '');
}
