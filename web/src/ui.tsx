import { useId, useState, useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, type Location, type Source } from './api';
import { CalendarPicker } from './date-picker';
import { enumLabel, GREGORIAN_MONTHS_EN, JALALI_MONTHS_EN, JALALI_MONTHS_FA } from './i18n';

/** A labelled control with the API's reasons for it beside it. */
export function Field(props: {
  label: string;
  error?: ApiError | null;
  name?: string;
  hint?: string;
  children: (id: string, describedBy: string | undefined) => ReactNode;
}): ReactNode {
  const id = useId();
  const reasons = props.error && props.name ? props.error.forField(props.name) : [];
  const errId = `${id}-err`;
  const hintId = `${id}-hint`;
  const describedBy =
    [reasons.length ? errId : '', props.hint ? hintId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${reasons.length ? ' has-error' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(id, describedBy)}
      {props.hint && (
        <small id={hintId} className="hint">
          {props.hint}
        </small>
      )}
      {reasons.length > 0 && (
        <div id={errId} className="field-error" role="alert" data-field={props.name}>
          {reasons.join('; ')}
        </div>
      )}
    </div>
  );
}

export function TextInput(props: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  name?: string;
  error?: ApiError | null;
  type?: string;
  hint?: string;
  dir?: 'rtl' | 'ltr' | 'auto';
  required?: boolean;
  multiline?: boolean;
  autoComplete?: string;
}): ReactNode {
  return (
    <Field label={props.label} name={props.name} error={props.error} hint={props.hint}>
      {(id, db) =>
        props.multiline ? (
          <textarea
            id={id}
            aria-describedby={db}
            aria-invalid={Boolean(
              props.error && props.name && props.error.forField(props.name).length,
            )}
            value={props.value}
            dir={props.dir ?? 'auto'}
            rows={3}
            onChange={(e) => props.onChange(e.target.value)}
          />
        ) : (
          <input
            id={id}
            aria-describedby={db}
            aria-invalid={Boolean(
              props.error && props.name && props.error.forField(props.name).length,
            )}
            type={props.type ?? 'text'}
            value={props.value}
            dir={props.dir ?? 'auto'}
            required={props.required}
            autoComplete={props.autoComplete}
            onChange={(e) => props.onChange(e.target.value)}
          />
        )
      }
    </Field>
  );
}

export function Select(props: {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (v: string) => void;
  name?: string;
  error?: ApiError | null;
  empty?: string | false;
  labels?: (v: string) => string;
}): ReactNode {
  const { t } = useTranslation();
  const labelOf = props.labels ?? enumLabel;
  return (
    <Field label={props.label} name={props.name} error={props.error}>
      {(id, db) => (
        <select
          id={id}
          aria-describedby={db}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
        >
          {props.empty !== false && <option value="">{props.empty ?? t('common.any')}</option>}
          {props.options.map((o) => (
            <option key={o} value={o}>
              {labelOf(o)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function ErrorBox({ error }: { error: unknown }): ReactNode {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof ApiError) {
    return (
      <div className="error-box" role="alert">
        <strong>
          {t('common.error')} ({error.status})
        </strong>
        : {error.message}
        {(error.body.errors ?? []).length > 0 && (
          <ul>
            {(error.body.errors ?? []).map((e, i) => (
              <li key={i}>
                <code>{e.field}</code>: {e.reason}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return (
    <div className="error-box" role="alert">
      {t('common.error')}: {String((error as Error).message ?? error)}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// Dates: Solar Hijri or Gregorian, with precision; the API reads the text and keeps both.

export interface DateValue {
  calendar: 'jalali' | 'gregorian';
  precision: 'unknown' | 'day' | 'month' | 'year' | 'range';
  y: string;
  m: string;
  d: string;
  toY: string;
  toM: string;
  toD: string;
}

export const emptyDate = (calendar: DateValue['calendar'] = 'jalali'): DateValue => ({
  calendar,
  precision: 'day',
  y: '',
  m: '',
  d: '',
  toY: '',
  toM: '',
  toD: '',
});

const pad = (s: string): string => (s.length === 1 ? `0${s}` : s);

/** The text the API reads (bare digits; the calendar goes alongside as dateCalendar). */
export function dateText(v: DateValue): string | undefined {
  if (v.precision === 'unknown' || !v.y) return undefined;
  if (v.precision === 'year') return v.y;
  if (v.precision === 'month') return `${v.y}-${pad(v.m)}`;
  const from = `${v.y}-${pad(v.m)}-${pad(v.d)}`;
  if (v.precision === 'day') return from;
  return `${from}/${v.toY || v.y}-${pad(v.toM || v.m)}-${pad(v.toD)}`;
}

export function DateInput(props: {
  legend: string;
  value: DateValue;
  onChange: (v: DateValue) => void;
  name: string;
  error?: ApiError | null;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const pickerId = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const v = props.value;
  const set = (patch: Partial<DateValue>): void => props.onChange({ ...v, ...patch });
  const months =
    v.calendar === 'jalali'
      ? i18n.language === 'fa'
        ? JALALI_MONTHS_FA
        : JALALI_MONTHS_EN
      : GREGORIAN_MONTHS_EN;
  const reasons = props.error ? props.error.forField(props.name) : [];
  const num = (label: string, value: string, key: keyof DateValue, max: number): ReactNode => (
    <Field label={label}>
      {(id) => (
        <input
          id={id}
          className="num"
          inputMode="numeric"
          value={value}
          size={max > 99 ? 5 : 3}
          onChange={(e) => set({ [key]: toLatinDigits(e.target.value) })}
        />
      )}
    </Field>
  );
  const month = (label: string, value: string, key: keyof DateValue): ReactNode => (
    <Field label={label}>
      {(id) => (
        <select id={id} value={value} onChange={(e) => set({ [key]: e.target.value })}>
          <option value="">—</option>
          {months.map((m, i) => (
            <option key={m} value={String(i + 1)}>
              {m}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  return (
    <fieldset className={`date-input${reasons.length ? ' has-error' : ''}`}>
      <legend>{props.legend}</legend>
      <div className="row">
        <Select
          label={t('common.calendar')}
          value={v.calendar}
          empty={false}
          options={['jalali', 'gregorian']}
          labels={(c) => t(`common.${c}`)}
          onChange={(c) => set({ calendar: c as DateValue['calendar'] })}
        />
        <Select
          label={t('date.precision')}
          value={v.precision}
          empty={false}
          options={['day', 'month', 'year', 'range', 'unknown']}
          labels={(p) => t(`date.${p}`)}
          onChange={(p) => set({ precision: p as DateValue['precision'] })}
        />
        {v.precision !== 'unknown' && num(t('date.y'), v.y, 'y', 9999)}
        {v.precision !== 'unknown' && v.precision !== 'year' && month(t('date.m'), v.m, 'm')}
        {(v.precision === 'day' || v.precision === 'range') && num(t('date.d'), v.d, 'd', 31)}
        {v.precision === 'range' && num(t('date.toY'), v.toY, 'toY', 9999)}
        {v.precision === 'range' && month(t('date.toM'), v.toM, 'toM')}
        {v.precision === 'range' && num(t('date.toD'), v.toD, 'toD', 31)}
        {v.precision !== 'unknown' && (
          <button
            type="button"
            ref={toggle}
            className="picker-toggle"
            aria-expanded={open}
            aria-controls={pickerId}
            onClick={() => setOpen(!open)}
          >
            {t('picker.open', { calendar: t(`common.${v.calendar}`) })}
          </button>
        )}
      </div>
      {open && v.precision !== 'unknown' && (
        <div id={pickerId}>
          <CalendarPicker
            value={v}
            onChange={props.onChange}
            onClose={() => {
              setOpen(false);
              toggle.current?.focus();
            }}
          />
        </div>
      )}
      {reasons.length > 0 && (
        <div className="field-error" role="alert" data-field={props.name}>
          {reasons.join('; ')}
        </div>
      )}
    </fieldset>
  );
}

export function toLatinDigits(s: string): string {
  return s
    .replace(/[۰-۹]/g, (c) => String(c.charCodeAt(0) - 0x06f0))
    .replace(/[٠-٩]/g, (c) => String(c.charCodeAt(0) - 0x0660));
}

// ---------------------------------------------------------------------------------------------
// Type-ahead pickers over the API's own search.

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const h = setTimeout(() => setV(value), ms);
    return () => clearTimeout(h);
  }, [value, ms]);
  return v;
}

export function TypeAhead<T extends { id: string }>(props: {
  label: string;
  name?: string;
  error?: ApiError | null;
  text: string;
  onText: (s: string) => void;
  chosen: T | null;
  onChoose: (item: T | null) => void;
  search: (q: string) => Promise<T[]>;
  render: (item: T) => string;
}): ReactNode {
  const [items, setItems] = useState<T[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const q = useDebounced(props.text, 200);
  const listId = useId();
  const seq = useRef(0);
  const { search } = props;
  useEffect(() => {
    if (!q.trim() || (props.chosen && props.render(props.chosen) === q)) {
      setItems([]);
      return;
    }
    const n = ++seq.current;
    search(q)
      .then((r) => {
        if (n === seq.current) {
          setItems(r);
          setOpen(true);
          setActive(-1);
        }
      })
      .catch(() => setItems([]));
  }, [q]);
  const choose = (it: T): void => {
    props.onChoose(it);
    props.onText(props.render(it));
    setOpen(false);
  };
  return (
    <Field label={props.label} name={props.name} error={props.error}>
      {(id, db) => (
        <div className="typeahead">
          <input
            id={id}
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={open && items.length > 0}
            aria-controls={listId}
            aria-describedby={db}
            aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
            autoComplete="off"
            dir="auto"
            value={props.text}
            onChange={(e) => {
              props.onText(e.target.value);
              if (props.chosen) props.onChoose(null);
            }}
            onBlur={() => setTimeout(() => setOpen(false), 150)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                setOpen(true);
                setActive((a) => Math.min(items.length - 1, a + 1));
                e.preventDefault();
              } else if (e.key === 'ArrowUp') {
                setActive((a) => Math.max(0, a - 1));
                e.preventDefault();
              } else if (e.key === 'Enter' && open && active >= 0 && items[active]) {
                choose(items[active]);
                e.preventDefault();
              } else if (e.key === 'Escape') setOpen(false);
            }}
          />
          <ul id={listId} role="listbox" className="options" hidden={!open || items.length === 0}>
            {items.map((it, i) => (
              <li
                key={it.id}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={i === active}
                className={i === active ? 'active' : ''}
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(it);
                }}
              >
                {props.render(it)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Field>
  );
}

export function placeName(
  p: { nameEn: string; nameFa: string | null } | null | undefined,
  lang: string,
): string {
  if (!p) return '—';
  return lang === 'fa' ? (p.nameFa ?? p.nameEn) : p.nameEn;
}

export function placeLabel(l: Location, lang: string): string {
  const own =
    lang === 'fa'
      ? `${l.nameFa ?? l.nameEn} / ${l.nameEn}`
      : `${l.nameEn}${l.nameFa ? ` / ${l.nameFa}` : ''}`;
  if (!l.parent) return own;
  // A town sits in its county, the county in its province: name both ("Zahedan County, Sistan …").
  const province = l.ancestors?.find((a) => a.kind === 'province');
  const within =
    province && province.id !== l.parent.id
      ? `${placeName(l.parent, lang)}${lang === 'fa' ? '، ' : ', '}${placeName(province, lang)}`
      : placeName(l.parent, lang);
  return `${own} (${within})`;
}

export const searchPlaces = async (q: string): Promise<Location[]> =>
  (await api<{ items: Location[] }>('/api/locations', { query: { q, limit: 8 } })).items;

export const searchSources = async (q: string): Promise<Source[]> =>
  (await api<{ items: Source[] }>('/api/sources', { query: { q, limit: 8 } })).items;

export function sourceLabel(s: Source): string {
  return `${s.title}${s.publisher ? ` — ${s.publisher}` : ''} [${s.reliability}]`;
}

export function dualDate(
  d:
    | { gregorian: { label: string } | null; jalali: { label: string; labelFa: string } | null }
    | null
    | undefined,
  lang: string,
): string {
  if (!d) return '—';
  const j = d.jalali ? (lang === 'fa' ? d.jalali.labelFa : `${d.jalali.label} SH`) : '';
  const g = d.gregorian?.label ?? '';
  return lang === 'fa' ? [j, g].filter(Boolean).join(' · ') : [g, j].filter(Boolean).join(' · ');
}

// ---------------------------------------------------------------------------------------------
// Form fields bound to one draft object: each names its API field, so the API's reasons for it
// are shown beside it, and writes back only its own key.

type TextProps = Parameters<typeof TextInput>[0];
type SelectProps = Parameters<typeof Select>[0];

export function draftFields<D extends object>(
  draft: D,
  set: (patch: Partial<D>) => void,
  error: ApiError | null,
): {
  text: (k: keyof D & string, label: string, more?: Partial<TextProps>) => ReactNode;
  select: (
    k: keyof D & string,
    label: string,
    options: readonly string[],
    more?: Partial<SelectProps>,
  ) => ReactNode;
} {
  const value = (k: keyof D): string => {
    const x = draft[k];
    return typeof x === 'string' ? x : '';
  };
  const write = (k: keyof D, x: string): void => set({ [k]: x } as Partial<D>);
  return {
    text: (k, label, more = {}) => (
      <TextInput
        key={k}
        label={label}
        name={k}
        value={value(k)}
        onChange={(x) => write(k, x)}
        error={error}
        {...more}
      />
    ),
    select: (k, label, options, more = {}) => (
      <Select
        key={k}
        label={label}
        name={k}
        value={value(k)}
        options={options}
        onChange={(x) => write(k, x)}
        error={error}
        {...more}
      />
    ),
  };
}

/** A card of filters, applied on submit (Enter in any field, or the button). */
export function FilterForm(props: {
  onApply: () => void;
  role?: string;
  children: ReactNode;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <form
      className="card filters"
      role={props.role}
      onSubmit={(e) => {
        e.preventDefault();
        props.onApply();
      }}
    >
      <div className="grid">{props.children}</div>
      <button type="submit" className="primary">
        {t('common.search')}
      </button>
    </form>
  );
}

/** A date window in either calendar: the calendar, from and to (ISO, partial or Solar Hijri). */
export function DateWindow(props: {
  calendar: string;
  from: string;
  to: string;
  onCalendar: (c: string) => void;
  onFrom: (s: string) => void;
  onTo: (s: string) => void;
  /** Show an example of each end in the chosen calendar. */
  hints?: boolean;
}): ReactNode {
  const { t } = useTranslation();
  const jalali = props.calendar === 'jalali';
  return (
    <>
      <Select
        label={t('common.calendar')}
        value={props.calendar}
        options={['jalali', 'gregorian']}
        labels={(c) => t(`common.${c}`)}
        onChange={props.onCalendar}
        empty={false}
      />
      <TextInput
        label={t('common.from')}
        name="from"
        value={props.from}
        onChange={props.onFrom}
        hint={props.hints ? (jalali ? '1398-08-24' : '2019-11-15') : undefined}
      />
      <TextInput
        label={t('common.to')}
        name="to"
        value={props.to}
        onChange={props.onTo}
        hint={props.hints ? (jalali ? '1398-08-28' : '2019-11-19') : undefined}
      />
    </>
  );
}
