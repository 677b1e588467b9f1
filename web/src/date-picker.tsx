import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { dayNumber, fromDayNumber, monthLength, supportedYear, weekday } from './calendar';
import { GREGORIAN_MONTHS_EN, JALALI_MONTHS_EN, JALALI_MONTHS_FA } from './i18n';
import type { DateValue } from './ui';

const WEEKDAYS: Record<string, { short: string; long: string }[]> = {
  // Columns start on Saturday for Solar Hijri (the Iranian week), Monday for Gregorian.
  'jalali-fa': ['ش', 'ی', 'د', 'س', 'چ', 'پ', 'ج'].map((short, i) => ({
    short,
    long: ['شنبه', 'یکشنبه', 'دوشنبه', 'سه‌شنبه', 'چهارشنبه', 'پنجشنبه', 'جمعه'][i],
  })),
  'jalali-en': ['Sa', 'Su', 'Mo', 'Tu', 'We', 'Th', 'Fr'].map((short, i) => ({
    short,
    long: ['Saturday', 'Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'][i],
  })),
  'gregorian-fa': ['د', 'س', 'چ', 'پ', 'ج', 'ش', 'ی'].map((short, i) => ({
    short,
    long: ['دوشنبه', 'سه‌شنبه', 'چهارشنبه', 'پنجشنبه', 'جمعه', 'شنبه', 'یکشنبه'][i],
  })),
  'gregorian-en': ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'].map((short, i) => ({
    short,
    long: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][i],
  })),
};

/** Today in the calendar asked for (the picker opens there when no date is set yet). */
function today(cal: DateValue['calendar']): { y: number; m: number; d: number } {
  const now = new Date();
  return fromDayNumber(
    cal,
    dayNumber('gregorian', now.getUTCFullYear(), now.getUTCMonth() + 1, now.getUTCDate()),
  );
}

const int = (s: string): number | null => (/^\d+$/.test(s) ? Number(s) : null);

/**
 * A calendar grid for the date the fields hold: a month of days (day and range precision), the
 * twelve months of a year (month precision) or twelve years (year precision), in the field's
 * calendar, with Persian month names and digits in Persian. Arrow keys move, Page Up/Down go a
 * month (or year) back and forth, Home/End go to the week's ends, Enter or Space picks, Escape
 * closes. For a range the first pick is the start and the second the end.
 */
export function CalendarPicker(props: {
  value: DateValue;
  onChange: (v: DateValue) => void;
  onClose: () => void;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const fa = i18n.language === 'fa';
  const v = props.value;
  const cal = v.calendar;
  const digits = new Intl.NumberFormat(fa ? 'fa-IR' : 'en-US', { useGrouping: false });
  const n = (x: number): string => digits.format(x);
  const months =
    cal === 'jalali' ? (fa ? JALALI_MONTHS_FA : JALALI_MONTHS_EN) : GREGORIAN_MONTHS_EN;
  const start = (() => {
    const y = int(v.y);
    const m = int(v.m);
    const d = int(v.d);
    if (y !== null && supportedYear(cal, y)) {
      const mm = m !== null && m >= 1 && m <= 12 ? m : 1;
      const dd = d !== null && d >= 1 && d <= monthLength(cal, y, mm) ? d : 1;
      return { y, m: mm, d: dd };
    }
    return today(cal);
  })();
  // The focused day, as a day number; the month shown is the one it falls in.
  const [focus, setFocus] = useState(() => dayNumber(cal, start.y, start.m, start.d));
  const [pickingEnd, setPickingEnd] = useState(false);
  const grid = useRef<HTMLTableElement>(null);
  const titleId = useId();
  const shown = fromDayNumber(cal, focus);
  const mode = v.precision === 'month' ? 'month' : v.precision === 'year' ? 'year' : 'day';
  useEffect(() => {
    grid.current?.querySelector<HTMLButtonElement>('button[tabindex="0"]')?.focus();
  }, [focus, mode]);

  const moveMonths = (k: number): void => {
    const total = shown.y * 12 + (shown.m - 1) + k;
    const y = Math.floor(total / 12);
    const m = (total % 12) + 1;
    if (!supportedYear(cal, y)) return;
    setFocus(dayNumber(cal, y, m, Math.min(shown.d, monthLength(cal, y, m))));
  };
  const pickDay = (jdn: number): void => {
    const d = fromDayNumber(cal, jdn);
    if (v.precision === 'range') {
      if (!pickingEnd) {
        props.onChange({
          ...v,
          y: String(d.y),
          m: String(d.m),
          d: String(d.d),
          toY: '',
          toM: '',
          toD: '',
        });
        setPickingEnd(true);
        return;
      }
      const from = dayNumber(cal, int(v.y) ?? d.y, int(v.m) ?? d.m, int(v.d) ?? d.d);
      const [a, b] = jdn < from ? [d, fromDayNumber(cal, from)] : [fromDayNumber(cal, from), d];
      props.onChange({
        ...v,
        y: String(a.y),
        m: String(a.m),
        d: String(a.d),
        toY: String(b.y),
        toM: String(b.m),
        toD: String(b.d),
      });
      setPickingEnd(false);
      props.onClose();
      return;
    }
    props.onChange({ ...v, precision: 'day', y: String(d.y), m: String(d.m), d: String(d.d) });
    props.onClose();
  };
  const keys = (e: KeyboardEvent, move: (k: string) => boolean): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      props.onClose();
      return;
    }
    if (move(e.key)) e.preventDefault();
  };
  // Arrow keys follow the reading direction: in Persian, ArrowLeft is the next day.
  const step = (key: string): number | null =>
    key === 'ArrowRight' ? (fa ? -1 : 1) : key === 'ArrowLeft' ? (fa ? 1 : -1) : null;

  let body: ReactNode;
  if (mode === 'day') {
    const first = dayNumber(cal, shown.y, shown.m, 1);
    const length = monthLength(cal, shown.y, shown.m);
    const offset = (weekday(first) - (cal === 'jalali' ? 5 : 0) + 7) % 7;
    const cells: (number | null)[] = [
      ...Array.from({ length: offset }, () => null),
      ...Array.from({ length }, (_, i) => first + i),
    ];
    while (cells.length % 7) cells.push(null);
    const rows = Array.from({ length: cells.length / 7 }, (_, r) => cells.slice(r * 7, r * 7 + 7));
    const selFrom = int(v.y) && int(v.m) && int(v.d) ? safeDay(cal, v.y, v.m, v.d) : null;
    const selTo =
      v.precision === 'range' && int(v.toD)
        ? safeDay(cal, v.toY || v.y, v.toM || v.m, v.toD)
        : null;
    const week = WEEKDAYS[`${cal}-${fa ? 'fa' : 'en'}`];
    body = (
      <table className="calendar-grid" role="grid" aria-labelledby={titleId} ref={grid}>
        <thead>
          <tr>
            {week.map((w) => (
              <th key={w.long} scope="col" abbr={w.long}>
                <abbr title={w.long}>{w.short}</abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {row.map((jdn, c) => {
                if (jdn === null) return <td key={c} />;
                const d = jdn - first + 1;
                const inRange =
                  selFrom !== null && selTo !== null && jdn >= selFrom && jdn <= selTo;
                const chosen = jdn === selFrom || jdn === selTo;
                return (
                  <td key={c} role="gridcell" aria-selected={chosen || inRange}>
                    <button
                      type="button"
                      tabIndex={jdn === focus ? 0 : -1}
                      className={`${chosen ? 'chosen' : ''}${inRange ? ' in-range' : ''}`}
                      aria-label={`${n(d)} ${months[shown.m - 1]} ${n(shown.y)}`}
                      aria-pressed={chosen}
                      onClick={() => pickDay(jdn)}
                      onKeyDown={(e) =>
                        keys(e, (k) => {
                          const s = step(k);
                          if (s !== null) setFocus(focus + s);
                          else if (k === 'ArrowDown') setFocus(focus + 7);
                          else if (k === 'ArrowUp') setFocus(focus - 7);
                          else if (k === 'PageDown') moveMonths(1);
                          else if (k === 'PageUp') moveMonths(-1);
                          else if (k === 'Home') setFocus(focus - c);
                          else if (k === 'End') setFocus(focus + (6 - c));
                          else return false;
                          return true;
                        })
                      }
                    >
                      {n(d)}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    );
  } else {
    // Twelve months of the year shown, or twelve years around it.
    const items =
      mode === 'month'
        ? months.map((label, i) => ({
            key: i + 1,
            label,
            chosen: int(v.m) === i + 1 && int(v.y) === shown.y,
          }))
        : Array.from({ length: 12 }, (_, i) => shown.y - 5 + i).map((y) => ({
            key: y,
            label: n(y),
            chosen: int(v.y) === y,
          }));
    const focusKey = mode === 'month' ? shown.m : shown.y;
    const moveTo = (key: number): void => {
      if (mode === 'month') {
        const k = ((key - 1 + 1200) % 12) + 1;
        setFocus(dayNumber(cal, shown.y, k, 1));
      } else if (supportedYear(cal, key)) setFocus(dayNumber(cal, key, 1, 1));
    };
    const pick = (key: number): void => {
      props.onChange(
        mode === 'month'
          ? { ...v, y: String(shown.y), m: String(key), d: '' }
          : { ...v, y: String(key), m: '', d: '' },
      );
      props.onClose();
    };
    const rows = [0, 1, 2].map((r) => items.slice(r * 4, r * 4 + 4));
    body = (
      <table className="calendar-grid months" role="grid" aria-labelledby={titleId} ref={grid}>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {row.map((it) => (
                <td key={it.key} role="gridcell" aria-selected={it.chosen}>
                  <button
                    type="button"
                    tabIndex={it.key === focusKey ? 0 : -1}
                    className={it.chosen ? 'chosen' : ''}
                    aria-pressed={it.chosen}
                    aria-label={mode === 'month' ? `${it.label} ${n(shown.y)}` : it.label}
                    onClick={() => pick(it.key)}
                    onKeyDown={(e) =>
                      keys(e, (k) => {
                        const s = step(k);
                        if (s !== null) moveTo(focusKey + s);
                        else if (k === 'ArrowDown') moveTo(focusKey + 4);
                        else if (k === 'ArrowUp') moveTo(focusKey - 4);
                        else if (k === 'PageDown') moveMonths(12);
                        else if (k === 'PageUp') moveMonths(-12);
                        else return false;
                        return true;
                      })
                    }
                  >
                    {it.label}
                  </button>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  const title =
    mode === 'day'
      ? `${months[shown.m - 1]} ${n(shown.y)}`
      : mode === 'month'
        ? n(shown.y)
        : `${n(shown.y - 5)}–${n(shown.y + 6)}`;
  const back = mode === 'day' ? -1 : mode === 'month' ? -12 : -144;
  return (
    <div className="calendar-picker" role="group" aria-labelledby={titleId}>
      <div className="calendar-head">
        <button
          type="button"
          onClick={() => moveMonths(back)}
          aria-label={t(`picker.prev.${mode}`)}
        >
          {fa ? '›' : '‹'}
        </button>
        <strong id={titleId} aria-live="polite">
          {title}
        </strong>
        <button
          type="button"
          onClick={() => moveMonths(-back)}
          aria-label={t(`picker.next.${mode}`)}
        >
          {fa ? '‹' : '›'}
        </button>
      </div>
      {body}
      <p className="sub" aria-live="polite">
        {v.precision === 'range'
          ? t(pickingEnd ? 'picker.pickEnd' : 'picker.pickStart')
          : t('picker.help')}
      </p>
      <button type="button" onClick={props.onClose}>
        {t('picker.close')}
      </button>
    </div>
  );
}

function safeDay(cal: DateValue['calendar'], y: string, m: string, d: string): number | null {
  const [yy, mm, dd] = [int(y), int(m), int(d)];
  if (yy === null || mm === null || dd === null || mm < 1 || mm > 12) return null;
  if (!supportedYear(cal, yy) || dd < 1 || dd > monthLength(cal, yy, mm)) return null;
  return dayNumber(cal, yy, mm, dd);
}
