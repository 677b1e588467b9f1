import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download, type ImportReport } from '../api';
import { num } from '../i18n';
import { paramEnum } from '../schema';
import { can, type Session } from '../session';
import { ErrorBox, Field, Select } from '../ui';

export function ImportExportPage({ session }: { session: Session }): ReactNode {
  const { t } = useTranslation();
  return (
    <>
      {can(session, 'researcher') && <ImportSection session={session} />}
      <ExportSection session={session} />
      {!can(session, 'researcher') && <p className="sub">{t('io.publicOnly')}</p>}
    </>
  );
}

/** Kinds of import a role may not run (the API answers 403): places re-place every researcher's records. */
const REVIEWER_KINDS = new Set(['locations']);

function ImportSection({ session }: { session: Session }): ReactNode {
  const { t } = useTranslation();
  const kinds = paramEnum('/api/imports', 'kind').filter(
    (k) => !REVIEWER_KINDS.has(k) || can(session, 'reviewer'),
  );
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [kind, setKind] = useState('victims');
  const [harm, setHarm] = useState('killed');
  const [mode, setMode] = useState('all-or-nothing');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [dryRunOf, setDryRunOf] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const signature = file ? `${kind}|${harm}|${mode}|${file.name}|${file.text.length}` : null;
  const run = (dryRun: boolean): void => {
    if (!file) return;
    setBusy(true);
    setError(null);
    const isJson = file.name.toLowerCase().endsWith('.json') || /^\s*[[{]/.test(file.text);
    api<ImportReport>('/api/imports', {
      method: 'POST',
      query: { kind, mode, dryRun, harm: kind === 'victims' ? harm : undefined },
      text: { body: file.text, type: isJson ? 'application/json' : 'text/csv' },
    })
      .then((r) => {
        setReport(r);
        if (dryRun) setDryRunOf(signature);
      })
      .catch(setError)
      .finally(() => setBusy(false));
  };
  return (
    <section aria-labelledby="import-title">
      <h1 id="import-title">{t('io.import')}</h1>
      <div className="card">
        <div className="grid">
          <Field label={t('io.file')}>
            {(id) => (
              <input
                id={id}
                type="file"
                accept=".csv,.json,text/csv,application/json"
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  setReport(null);
                  setDryRunOf(null);
                  if (f) void f.text().then((text) => setFile({ name: f.name, text }));
                  else setFile(null);
                }}
              />
            )}
          </Field>
          <Select
            label={t('io.kind')}
            value={kind}
            options={kinds}
            onChange={setKind}
            empty={false}
          />
          {kind === 'victims' && (
            <Select
              label={t('io.harmDefault')}
              value={harm}
              options={paramEnum('/api/imports', 'harm')}
              onChange={setHarm}
              empty={false}
            />
          )}
          <Select
            label={t('io.mode')}
            value={mode}
            options={['all-or-nothing', 'skip-invalid']}
            labels={(m) => (m === 'all-or-nothing' ? t('io.allOrNothing') : t('io.skipInvalid'))}
            onChange={setMode}
            empty={false}
          />
        </div>
        <div className="actions">
          <button
            type="button"
            className="primary"
            disabled={!file || busy}
            onClick={() => run(true)}
          >
            {t('io.dryRun')}
          </button>
          <button
            type="button"
            disabled={!file || busy || dryRunOf !== signature}
            onClick={() => run(false)}
            aria-describedby="needs-dry-run"
          >
            {t('io.run')}
          </button>
          {file && dryRunOf !== signature && (
            <span id="needs-dry-run" className="sub">
              {t('io.needsDryRun')}
            </span>
          )}
        </div>
      </div>
      <ErrorBox error={error} />
      {report && (
        <div className="card report" role="region" aria-label={t('io.report')}>
          <h2>
            {t('io.report')} {report.dryRun ? `(${t('io.dryRun')})` : ''}
          </h2>
          <ul className="summary" lang="en" dir="ltr">
            {report.summary.map((s, i) => (
              <li key={i}>{s}</li>
            ))}
          </ul>
          <p>
            read {num(report.read)} · imported {num(report.imported)} · already present{' '}
            {num(report.alreadyPresent)} · rejected {num(report.rejected)}
          </p>
          {report.rejects.length > 0 && (
            <table className="rejects">
              <thead>
                <tr>
                  <th scope="col">{t('io.line')}</th>
                  <th scope="col">{t('io.field')}</th>
                  <th scope="col">{t('common.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {report.rejects.map((r, i) => (
                  <tr key={i}>
                    <td className="n">{r.line}</td>
                    <td>
                      <code>{r.field}</code>
                    </td>
                    <td dir="auto">{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}

function ExportSection({ session }: { session: Session }): ReactNode {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const [format, setFormat] = useState('csv');
  // Below researcher the API serves public data only; the interface asks for it explicitly.
  const forcedPublic = !can(session, 'researcher');
  const [publicOnly, setPublicOnly] = useState(forcedPublic);
  const what = ['victims', 'sources', 'claims', 'incidents'];
  return (
    <section aria-labelledby="export-title">
      <h1 id="export-title">{t('io.export')}</h1>
      <div className="card">
        <div className="grid">
          <Select
            label={t('io.format')}
            value={format}
            options={paramEnum('/api/exports/victims', 'format')}
            labels={(f) => f.toUpperCase()}
            onChange={setFormat}
            empty={false}
          />
          <label className="check">
            <input
              type="checkbox"
              checked={publicOnly || forcedPublic}
              disabled={forcedPublic}
              onChange={(e) => setPublicOnly(e.target.checked)}
            />{' '}
            {t('io.publicOnly')}
          </label>
        </div>
        <div className="actions">
          {what.map((w) => (
            <button
              key={w}
              type="button"
              onClick={() => {
                setError(null);
                download(
                  `/api/exports/${w}`,
                  { format, public: publicOnly || forcedPublic ? true : undefined },
                  `${w}.${format === 'geojson' ? 'geojson' : format}`,
                ).catch(setError);
              }}
            >
              {t('io.download', { what: w })}
            </button>
          ))}
        </div>
      </div>
      <ErrorBox error={error} />
    </section>
  );
}
