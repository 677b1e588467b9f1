import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { answers } from './api';
import { enumLabel, setLanguage, type Lang } from './i18n';
import { go, useRoute } from './router';
import { loadSchema } from './schema';
import {
  can,
  restoreSession,
  signInWithPassword,
  signInWithToken,
  signOut,
  type Session,
} from './session';
import { ErrorBox, TextInput } from './ui';
import { EntryPage } from './pages/Entry';
import { SourcesPage } from './pages/Sources';
import { ReviewPage } from './pages/Review';
import { SearchPage, RecordPage } from './pages/Search';
import { CountsPage } from './pages/Counts';
import { ReconciliationPage } from './pages/Reconciliation';
import { MapPage } from './pages/Map';
import { ImportExportPage } from './pages/ImportExport';
import type { Role } from './api';

interface NavItem {
  path: string;
  key: string;
  role: Role | 'public';
}

const NAV: NavItem[] = [
  { path: '/entry', key: 'nav.entry', role: 'researcher' },
  { path: '/sources', key: 'nav.sources', role: 'researcher' },
  { path: '/review', key: 'nav.review', role: 'reviewer' },
  { path: '/search', key: 'nav.search', role: 'viewer' },
  { path: '/counts', key: 'nav.counts', role: 'public' },
  { path: '/reconciliation', key: 'nav.reconciliation', role: 'public' },
  { path: '/map', key: 'nav.map', role: 'public' },
  { path: '/io', key: 'nav.io', role: 'viewer' },
];

const allowed = (s: Session, item: NavItem): boolean => item.role === 'public' || can(s, item.role);

export function App(): ReactNode {
  const [session, setSession] = useState<Session | null>(null);
  const [ready, setReady] = useState(false);
  // A new key on every sign-in and sign-out: every page's state (and what it holds) is dropped.
  const [epoch, setEpoch] = useState(0);
  useEffect(() => {
    void Promise.all([loadSchema().catch(() => undefined), restoreSession()]).then(([, s]) => {
      setSession(s);
      setReady(true);
    });
  }, []);
  const enter = (s: Session | null): void => {
    setSession(s);
    setEpoch((e) => e + 1);
    if (s && !window.location.hash.replace(/^#\/?/, ''))
      go(s.kind === 'public' ? '/reconciliation' : '/search');
  };
  if (!ready) return <p className="loading">…</p>;
  return session ? (
    <Shell
      key={epoch}
      session={session}
      onSignOut={() => void signOut(session).then(() => enter(null))}
    />
  ) : (
    <SignIn key={epoch} onSession={enter} />
  );
}

function LanguageSwitch(): ReactNode {
  const { t, i18n } = useTranslation();
  return (
    <div className="lang" role="group" aria-label={t('language')}>
      {(['fa', 'en'] as Lang[]).map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={i18n.language === l}
          onClick={() => setLanguage(l)}
        >
          {l === 'fa' ? 'فارسی' : 'English'}
        </button>
      ))}
    </div>
  );
}

function SignIn({ onSession }: { onSession: (s: Session) => void }): ReactNode {
  const { t } = useTranslation();
  const [token, setToken] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [publicOpen, setPublicOpen] = useState(false);
  useEffect(() => {
    void answers('/api/counts', { anonymous: true, query: { category: 'killed' } }).then(
      setPublicOpen,
    );
  }, []);
  const run = (p: Promise<Session>): void => {
    setError(null);
    p.then(onSession).catch(setError);
  };
  return (
    <main className="signin">
      <header className="signin-head">
        <h1>{t('app')}</h1>
        <p>{t('tagline')}</p>
        <LanguageSwitch />
      </header>
      <ErrorBox error={error} />
      <div className="cards">
        <form
          className="card"
          aria-labelledby="signin-token"
          onSubmit={(e) => {
            e.preventDefault();
            run(signInWithToken(token.trim()));
          }}
        >
          <h2 id="signin-token">{t('signin.withToken')}</h2>
          <TextInput
            label={t('signin.token')}
            value={token}
            onChange={setToken}
            type="password"
            dir="ltr"
            hint={t('signin.tokenHelp')}
            autoComplete="off"
          />
          <button type="submit">{t('signin.submit')}</button>
        </form>
        <form
          className="card"
          aria-labelledby="signin-password"
          onSubmit={(e) => {
            e.preventDefault();
            run(signInWithPassword(email.trim(), password));
          }}
        >
          <h2 id="signin-password">{t('signin.withPassword')}</h2>
          <TextInput
            label={t('signin.email')}
            value={email}
            onChange={setEmail}
            type="email"
            dir="ltr"
            autoComplete="username"
          />
          <TextInput
            label={t('signin.password')}
            value={password}
            onChange={setPassword}
            type="password"
            dir="ltr"
            autoComplete="current-password"
          />
          <button type="submit">{t('signin.submit')}</button>
        </form>
        {publicOpen && (
          <section className="card" aria-labelledby="signin-public">
            <h2 id="signin-public">{t('signin.publicReader')}</h2>
            <p>{t('signin.publicHelp')}</p>
            <button type="button" onClick={() => onSession({ kind: 'public' })}>
              {t('signin.public')}
            </button>
          </section>
        )}
      </div>
    </main>
  );
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }): ReactNode {
  const { t } = useTranslation();
  const [path, parts] = useRoute();
  const items = NAV.filter((n) => allowed(session, n));
  const current = items.find((n) => path === n.path || path.startsWith(`${n.path}/`));
  useEffect(() => {
    const fallback = items[0]?.path ?? '/reconciliation';
    if (path === '/' || (!current && parts[0] !== 'victims')) go(fallback);
  }, [path, current, parts, items]);
  let page: ReactNode = null;
  if (parts[0] === 'victims' && parts[1] && session.kind === 'user') {
    page =
      parts[2] === 'edit' && can(session, 'researcher') ? (
        <EntryPage session={session} editId={parts[1]} />
      ) : (
        <RecordPage session={session} id={parts[1]} />
      );
  } else if (current) {
    page = {
      '/entry': <EntryPage session={session} />,
      '/sources': <SourcesPage session={session} />,
      '/review': <ReviewPage session={session} />,
      '/search': <SearchPage session={session} />,
      '/counts': <CountsPage session={session} />,
      '/reconciliation': <ReconciliationPage session={session} />,
      '/map': <MapPage session={session} />,
      '/io': <ImportExportPage session={session} />,
    }[current.path];
  }
  return (
    <>
      <a
        className="skip"
        href="#content"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('content')?.focus();
        }}
      >
        {t('nav.skip')}
      </a>
      <header className="top">
        <span className="brand">{t('app')}</span>
        <nav aria-label={t('nav.main')}>
          <ul>
            {items.map((n) => (
              <li key={n.path}>
                <a href={`#${n.path}`} aria-current={current?.path === n.path ? 'page' : undefined}>
                  {t(n.key)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="who">
          <span>
            {session.kind === 'user'
              ? t('signin.as', { name: session.me.name, role: enumLabel(session.me.role) })
              : t('signin.publicReader')}
          </span>
          <LanguageSwitch />
          <button type="button" onClick={onSignOut}>
            {t('signin.signout')}
          </button>
        </div>
      </header>
      <main id="content" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}
