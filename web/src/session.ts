import { api, setToken, type Me, type Role } from './api';

/** Who is using the interface: an account with a token, or the anonymous public reader. */
export type Session =
  { kind: 'user'; token: string; tokenId: string | null; me: Me } | { kind: 'public' };

const KEY = 'cl.session';

const RANK: Record<Role | 'public', number> = {
  public: 0,
  viewer: 1,
  researcher: 2,
  reviewer: 3,
  admin: 4,
};

export function can(s: Session, role: Role): boolean {
  return RANK[s.kind === 'user' ? s.me.role : 'public'] >= RANK[role];
}

export function roleOf(s: Session): Role | 'public' {
  return s.kind === 'user' ? s.me.role : 'public';
}

/**
 * The token lives in sessionStorage (gone with the tab) and nothing else the API sent is kept
 * outside React state: signing out drops both, so no restricted field outlives the session.
 */
export function saveSession(s: Session | null): void {
  if (!s) sessionStorage.removeItem(KEY);
  else
    sessionStorage.setItem(
      KEY,
      JSON.stringify(s.kind === 'user' ? { token: s.token, tokenId: s.tokenId } : { public: true }),
    );
  setToken(s && s.kind === 'user' ? s.token : null);
}

export async function restoreSession(): Promise<Session | null> {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as { token?: string; tokenId?: string | null; public?: boolean };
    if (v.public) return { kind: 'public' };
    if (v.token) return await signInWithToken(v.token, v.tokenId ?? null);
  } catch {
    saveSession(null);
  }
  return null;
}

export async function signInWithToken(
  token: string,
  tokenId: string | null = null,
): Promise<Session> {
  setToken(token);
  try {
    const me = await api<Me>('/api/me');
    const s: Session = { kind: 'user', token, tokenId, me };
    saveSession(s);
    return s;
  } catch (e) {
    setToken(null);
    throw e;
  }
}

export async function signInWithPassword(email: string, password: string): Promise<Session> {
  const r = await api<{ token: string; tokenId: string; user: Me }>('/api/auth/login', {
    method: 'POST',
    body: { email, password },
    anonymous: true,
  });
  const s: Session = { kind: 'user', token: r.token, tokenId: r.tokenId, me: r.user };
  saveSession(s);
  return s;
}

/** A sign-in token is revoked on the server; a pasted API token is only forgotten. */
export async function signOut(s: Session): Promise<void> {
  if (s.kind === 'user' && s.tokenId) {
    await api(`/api/tokens/${s.tokenId}`, { method: 'DELETE' }).catch(() => undefined);
  }
  saveSession(null);
}
