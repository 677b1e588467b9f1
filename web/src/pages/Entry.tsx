import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Location, type Source, type Victim } from '../api';
import { enumLabel } from '../i18n';
import { go } from '../router';
import { dtoEnum } from '../schema';
import { can, type Session } from '../session';
import {
  DateInput,
  draftFields,
  dateText,
  emptyDate,
  ErrorBox,
  placeLabel,
  searchPlaces,
  searchSources,
  Select,
  sourceLabel,
  TextInput,
  TypeAhead,
  type DateValue,
} from '../ui';
import { emptySource, SourceFields, sourceBody, type SourceDraft } from './Sources';

interface VictimDraft {
  nameFa: string;
  nameEn: string;
  /** The father's name (نام پدر), in either script. */
  fatherName: string;
  gender: string;
  age: string;
  occupation: string;
  harm: string;
  date: DateValue;
  placeText: string;
  place: Location | null;
  placeOriginal: string;
  placePrecision: string;
  cause: string;
  perpetrator: string;
  /** Restricted (researchers and above): never in public output or viewer answers. */
  witnessNames: string;
  familyContact: string;
  internalNotes: string;
}

const emptyVictim = (): VictimDraft => ({
  nameFa: '',
  nameEn: '',
  fatherName: '',
  gender: '',
  age: '',
  occupation: '',
  harm: 'killed',
  date: emptyDate('jalali'),
  placeText: '',
  place: null,
  placeOriginal: '',
  placePrecision: '',
  cause: '',
  perpetrator: '',
  witnessNames: '',
  familyContact: '',
  internalNotes: '',
});

const RESTRICTED = ['witnessNames', 'familyContact', 'internalNotes'] as const;

function victimBody(v: VictimDraft, restricted: boolean, editing = false): Record<string, unknown> {
  const text = dateText(v.date);
  const body: Record<string, unknown> = {
    nameFa: v.nameFa.trim() || undefined,
    nameEn: v.nameEn.trim() || undefined,
    // On an edit an emptied father's name is sent as null, so clearing it clears it.
    fatherName: v.fatherName.trim() || (editing ? null : undefined),
    gender: v.gender || undefined,
    age: v.age.trim() === '' ? undefined : Number(v.age),
    occupation: v.occupation.trim() || undefined,
    harm: v.harm,
    date: text,
    dateCalendar: text ? v.date.calendar : undefined,
    // A place chosen from the list goes by id; text typed and not chosen goes as a name.
    location: v.place?.id ?? (v.placeText.trim() || undefined),
    placeOriginal:
      v.placeOriginal.trim() || (v.place ? undefined : v.placeText.trim() || undefined),
    placePrecision: v.placePrecision || undefined,
    cause: v.cause || undefined,
    perpetrator: v.perpetrator || undefined,
  };
  if (restricted) {
    // On an edit an emptied field is sent as null, so clearing it clears it.
    for (const k of RESTRICTED) body[k] = v[k].trim() || (editing ? null : undefined);
  }
  return body;
}

/** A stored record back into the form (edit). */
function draftOf(v: Victim, lang: string): VictimDraft {
  const d = emptyDate((v.dateCalendar as DateValue['calendar']) ?? 'gregorian');
  const side = v.date ? (d.calendar === 'jalali' ? v.date.jalali : v.date.gregorian) : null;
  if (side) {
    const [fy, fm, fd] = side.from.split('-');
    const [ty, tm, td] = side.to.split('-');
    const p = v.date!.precision;
    d.precision = p === 'day' || p === 'month' || p === 'year' ? p : 'range';
    Object.assign(d, {
      y: fy,
      m: String(Number(fm)),
      d: String(Number(fd)),
      toY: ty,
      toM: String(Number(tm)),
      toD: String(Number(td)),
    });
  } else d.precision = 'unknown';
  const place = v.location
    ? ({ ...v.location, parent: null, lat: null, lon: null } as Location)
    : null;
  return {
    nameFa: v.nameFa ?? '',
    nameEn: v.nameEn ?? '',
    fatherName: v.fatherName ?? '',
    gender: v.gender ?? '',
    age: v.age === null ? '' : String(v.age),
    occupation: v.occupation ?? '',
    harm: v.harm,
    date: d,
    placeText: place ? placeLabel(place, lang) : '',
    place,
    placeOriginal: v.placeOriginal ?? '',
    placePrecision: v.placePrecision ?? '',
    cause: v.cause ?? '',
    perpetrator: v.perpetrator ?? '',
    witnessNames: v.witnessNames ?? '',
    familyContact: v.familyContact ?? '',
    internalNotes: v.internalNotes ?? '',
  };
}

const text = (x: unknown): string => {
  if (x === null || x === undefined) return '';
  if (typeof x === 'string') return x;
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  return JSON.stringify(x);
};

/** The fields set side by side on a stale edit, with the label each has in the form. */
const COMPARED = {
  nameFa: 'entry.nameFa',
  nameEn: 'entry.nameEn',
  fatherName: 'entry.fatherName',
  gender: 'entry.gender',
  age: 'entry.age',
  occupation: 'entry.occupation',
  harm: 'common.harm',
  date: 'common.date',
  location: 'common.place',
  placeOriginal: 'entry.placeOriginal',
  cause: 'entry.cause',
  perpetrator: 'entry.perpetrator',
  witnessNames: 'entry.witnessNames',
  familyContact: 'entry.familyContact',
  internalNotes: 'entry.internalNotes',
} as const;

export function EntryPage({ session, editId }: { session: Session; editId?: string }): ReactNode {
  const { t, i18n } = useTranslation();
  // The API sends and takes restricted fields from researchers up only; the form follows it.
  const restricted = can(session, 'researcher');
  const [v, setV] = useState<VictimDraft>(emptyVictim);
  const [original, setOriginal] = useState<Victim | null>(null);
  const [sourceMode, setSourceMode] = useState<'pick' | 'new'>('pick');
  const [sourceText, setSourceText] = useState('');
  const [source, setSource] = useState<Source | null>(null);
  const [newSource, setNewSource] = useState<SourceDraft>(emptySource);
  const [locator, setLocator] = useState('');
  const [excerpt, setExcerpt] = useState('');
  const [credibility, setCredibility] = useState('3');
  const [submit, setSubmit] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [sourceError, setSourceError] = useState<ApiError | null>(null);
  const [other, setOther] = useState<unknown>(null);
  const [saved, setSaved] = useState<Victim | null>(null);
  const [conflict, setConflict] = useState<Victim | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<VictimDraft>): void => setV((x) => ({ ...x, ...patch }));
  const f = draftFields(v, set, error);

  useEffect(() => {
    if (!editId) return;
    api<Victim>(`/api/victims/${editId}`)
      .then((r) => {
        setOriginal(r);
        setV(draftOf(r, i18n.language));
      })
      .catch(setOther);
  }, [editId, i18n.language]);

  const fail = (e: unknown): void => {
    if (e instanceof ApiError) setError(e);
    else setOther(e);
  };

  async function save(): Promise<void> {
    setError(null);
    setSourceError(null);
    setOther(null);
    setSaved(null);
    setBusy(true);
    try {
      if (editId && original) {
        await update(original.version);
        return;
      }
      let sourceId = source?.id;
      if (sourceMode === 'new') {
        try {
          const created = await api<Source>('/api/sources', {
            method: 'POST',
            body: sourceBody(newSource),
          });
          // Chosen from now on: a second try after a victim error does not create it twice.
          setSource(created);
          setSourceText(sourceLabel(created));
          setSourceMode('pick');
          sourceId = created.id;
        } catch (e) {
          if (e instanceof ApiError) setSourceError(e);
          else setOther(e);
          return;
        }
      }
      const body = {
        ...victimBody(v, restricted),
        attestations: [
          {
            sourceId: sourceId ?? '',
            locator: locator.trim() || undefined,
            excerpt: excerpt.trim() || undefined,
            credibility: Number(credibility),
          },
        ],
      };
      const created = await api<Victim>('/api/victims', { method: 'POST', body });
      let final = created;
      if (submit) {
        await api(`/api/victims/${created.id}/status`, {
          method: 'POST',
          body: { to: 'submitted', reason: 'entered for review', version: created.version },
        });
        final = await api<Victim>(`/api/victims/${created.id}`);
      }
      setSaved(final);
      setV(emptyVictim());
      setLocator('');
      setExcerpt('');
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  }

  async function update(version: number): Promise<void> {
    try {
      const r = await api<Victim>(`/api/victims/${editId}`, {
        method: 'PATCH',
        body: { ...victimBody(v, restricted, true), version },
      });
      setSaved(r);
      setOriginal(r);
      setConflict(null);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        setConflict(await api<Victim>(`/api/victims/${editId}`));
      } else fail(e);
    } finally {
      setBusy(false);
    }
  }

  const mine = victimBody(v, restricted, Boolean(editId));
  return (
    <section aria-labelledby="entry-title">
      <h1 id="entry-title">{editId ? t('entry.editTitle') : t('entry.title')}</h1>
      {saved && (
        <p className="ok" role="status">
          {t('entry.saved')} <a href={`#/victims/${saved.id}`}>{t('entry.open')}</a> (
          {enumLabel(saved.status)})
        </p>
      )}
      {error && (
        <p className="error-box" role="alert">
          {t('common.fieldErrors')} {error.message}
        </p>
      )}
      <ErrorBox error={other} />
      {conflict && (
        <div className="conflict" role="region" aria-label={t('entry.stale')}>
          <h2>{t('entry.stale')}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('common.name')}</th>
                <th scope="col">{t('entry.yours')}</th>
                <th scope="col">
                  {t('entry.theirs')} (v{conflict.version})
                </th>
              </tr>
            </thead>
            <tbody>
              {(Object.keys(COMPARED) as (keyof typeof COMPARED)[]).map((k) => {
                const theirs =
                  k === 'date'
                    ? (conflict.date?.original ?? conflict.date?.gregorian?.label ?? '')
                    : k === 'location'
                      ? (conflict.location?.nameEn ?? '')
                      : text((conflict as unknown as Record<string, unknown>)[k]);
                const yours = k === 'location' ? (v.place?.nameEn ?? v.placeText) : text(mine[k]);
                return (
                  <tr key={k} className={theirs !== yours ? 'differs' : ''}>
                    <th scope="row">{t(COMPARED[k])}</th>
                    <td dir="auto">{yours}</td>
                    <td dir="auto">{theirs}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button
            type="button"
            onClick={() => {
              setBusy(true);
              void update(conflict.version);
            }}
          >
            {t('entry.keepMine')}
          </button>
          <button
            type="button"
            onClick={() => {
              setOriginal(conflict);
              setV(draftOf(conflict, i18n.language));
              setConflict(null);
            }}
          >
            {t('entry.takeTheirs')}
          </button>
        </div>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <fieldset>
          <legend>{t('entry.victim')}</legend>
          <div className="grid">
            {f.text('nameFa', t('entry.nameFa'), { dir: 'rtl' })}
            {f.text('nameEn', t('entry.nameEn'), { dir: 'ltr' })}
            {f.text('fatherName', t('entry.fatherName'), { dir: 'auto' })}
            {f.select('gender', t('entry.gender'), dtoEnum('CreateVictimDto', 'gender'), {
              empty: '—',
            })}
            {f.text('age', t('entry.age'), { type: 'number' })}
            {f.text('occupation', t('entry.occupation'))}
            {f.select('harm', t('common.harm'), dtoEnum('CreateVictimDto', 'harm'), {
              empty: false,
            })}
          </div>
          <DateInput
            legend={t('entry.harmDate')}
            name="date"
            value={v.date}
            onChange={(d) => set({ date: d })}
            error={error}
          />
          <div className="grid">
            <TypeAhead<Location>
              label={t('entry.place')}
              name="location"
              error={error}
              text={v.placeText}
              onText={(s) => set({ placeText: s })}
              chosen={v.place}
              onChoose={(p) => set({ place: p })}
              search={searchPlaces}
              render={(l) => placeLabel(l, i18n.language)}
            />
            {f.text('placeOriginal', t('entry.placeOriginal'))}
            {f.select(
              'placePrecision',
              t('entry.placePrecision'),
              dtoEnum('CreateVictimDto', 'placePrecision'),
              { empty: '—' },
            )}
            {f.select('cause', t('entry.cause'), dtoEnum('CreateVictimDto', 'cause'), {
              empty: '—',
            })}
            {f.select(
              'perpetrator',
              t('entry.perpetrator'),
              dtoEnum('CreateVictimDto', 'perpetrator'),
              { empty: '—' },
            )}
          </div>
        </fieldset>
        {restricted && (
          <fieldset className="restricted">
            <legend>{t('entry.restricted')}</legend>
            <p className="sub">{t('entry.restrictedHelp')}</p>
            <div className="grid">
              {RESTRICTED.map((k) => (
                <TextInput
                  key={k}
                  label={t(`entry.${k}`)}
                  name={k}
                  value={v[k]}
                  onChange={(x) => set({ [k]: x })}
                  error={error}
                  multiline
                />
              ))}
            </div>
          </fieldset>
        )}
        {!editId && (
          <fieldset>
            <legend>{t('entry.attestation')}</legend>
            <div className="row" role="radiogroup" aria-label={t('entry.attestation')}>
              <label>
                <input
                  type="radio"
                  name="source-mode"
                  checked={sourceMode === 'pick'}
                  onChange={() => setSourceMode('pick')}
                />{' '}
                {t('entry.modePick')}
              </label>
              <label>
                <input
                  type="radio"
                  name="source-mode"
                  checked={sourceMode === 'new'}
                  onChange={() => setSourceMode('new')}
                />{' '}
                {t('entry.newSource')}
              </label>
            </div>
            {sourceMode === 'pick' ? (
              <TypeAhead<Source>
                label={t('entry.pickSource')}
                name="attestations"
                error={error}
                text={sourceText}
                onText={setSourceText}
                chosen={source}
                onChoose={setSource}
                search={searchSources}
                render={sourceLabel}
              />
            ) : (
              <SourceFields draft={newSource} onChange={setNewSource} error={sourceError} />
            )}
            <div className="grid">
              <TextInput
                label={t('entry.locator')}
                name="attestations.0.locator"
                value={locator}
                onChange={setLocator}
                error={error}
              />
              <Select
                label={t('entry.credibility')}
                name="attestations.0.credibility"
                value={credibility}
                options={['1', '2', '3', '4', '5', '6']}
                labels={(x) => x}
                onChange={setCredibility}
                error={error}
                empty={false}
              />
            </div>
            <TextInput
              label={t('entry.excerpt')}
              name="attestations.0.excerpt"
              value={excerpt}
              onChange={setExcerpt}
              error={error}
              multiline
            />
            <label className="check">
              <input
                type="checkbox"
                checked={submit}
                onChange={(e) => setSubmit(e.target.checked)}
              />{' '}
              {t('entry.submitForReview')}
            </label>
          </fieldset>
        )}
        <button type="submit" disabled={busy} className="primary">
          {t('entry.save')}
        </button>
        {editId && (
          <button type="button" onClick={() => go(`/victims/${editId}`)}>
            {t('common.close')}
          </button>
        )}
      </form>
      {session.kind === 'public' && null}
    </section>
  );
}
