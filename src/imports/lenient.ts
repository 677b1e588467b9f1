import { CAUSES, PERPETRATORS } from '../common/domain.js';
import { normalizeDigits, normalizeText } from '../common/persian.js';

/**
 * What published lists write for "not known": ن. م (نامعلوم), نامشخص, مجهول, ؟, "unknown", "n/a",
 * a dash. Read as no value (an unknown cause or perpetrator is the vocabulary's `unknown`).
 */
const UNKNOWN_MARKERS = new Set([
  'ن م',
  'نم',
  'نامعلوم',
  'نامشخص',
  'مجهول',
  'معلوم نیست',
  'unknown',
  'not known',
  'n a',
  'na',
  'unk',
]);

export function isUnknownMarker(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const t = v.trim();
  if (t === '') return false;
  if (/^[؟?\-–—_.]+$/u.test(t)) return true;
  return UNKNOWN_MARKERS.has(normalizeText(t));
}

/** "۱۷ ساله", "17 years", "17 years old", "17 yo": a stated age, read as such (never a guess). */
export function statedAge(text: string): number | null {
  const m = /^(\d{1,3})\s*(?:ساله|سال|years?\s*old|years?|yrs?|y\/?o|y)\.?$/iu.exec(
    normalizeDigits(text.trim()),
  );
  return m ? Number(m[1]) : null;
}

/** Gender words as lists write them; still only what is given, never guessed from a name. */
export const GENDER_WORDS: Record<string, string> = {
  male: 'male',
  female: 'female',
  other: 'other',
  m: 'male',
  f: 'female',
  man: 'male',
  woman: 'female',
  boy: 'male',
  girl: 'female',
  مرد: 'male',
  زن: 'female',
  مذکر: 'male',
  مونث: 'female',
  پسر: 'male',
  دختر: 'female',
};

type Rule = [RegExp, string];

/** A whole Persian word (normalised text: words are separated by single spaces). */
const fa = (...words: string[]): string => `(?:^| )(?:${words.join('|')})(?: |$)`;

const CAUSE_RULES: Rule[] = [
  [
    new RegExp(
      `\\b(head|skull|forehead|face|eye)\\b|${fa('سر', 'سرش', 'جمجمه', 'پیشانی', 'صورت', 'چشم')}`,
      'u',
    ),
    'head',
  ],
  [new RegExp(`\\b(neck|throat)\\b|${fa('گردن', 'گلو')}`, 'u'), 'neck'],
  [new RegExp(`\\b(chest|heart)\\b|${fa('سینه', 'قفسه', 'قلب')}`, 'u'), 'chest'],
  [new RegExp(`\\b(abdomen|stomach|belly)\\b|${fa('شکم')}`, 'u'), 'abdomen'],
  [new RegExp(`\\bback\\b|${fa('پشت', 'کمر')}`, 'u'), 'back'],
  [
    new RegExp(`\\b(leg|legs|arm|arms|limb|thigh)\\b|${fa('پا', 'پایش', 'ران', 'دست')}`, 'u'),
    'limb',
  ],
];

const GUNSHOT = new RegExp(
  `\\b(gun|guns|gunshot|gunfire|shot|shots|bullet|bullets|live ammunition|sniper)\\b|گلوله|${fa('تیر')}|شلیک|تیراندازی|اسلحه|کلاشینکف`,
  'u',
);

/**
 * Free text of a cause of death → the vocabulary (docs/import-export.md lists both). The first
 * rule that matches wins, so the more precise come first; the published text is always kept
 * beside the value (victims.original_values). Nothing that matches no rule is mapped.
 */
export function mapCause(text: string): string | null {
  const t = normalizeText(text);
  if ((CAUSES as readonly string[]).includes(t.replace(/ /g, '_'))) return t.replace(/ /g, '_');
  if (/(pellet|birdshot|ساچمه)/u.test(t)) return 'pellets';
  if (/(tear gas|گاز اشک اور|گاز اشکاور)/u.test(t)) return 'tear_gas';
  if (/(execut|hanged|hanging|اعدام)/u.test(t)) return 'execution';
  if (/(tortur|شکنجه)/u.test(t)) return 'torture';
  if (GUNSHOT.test(t)) {
    for (const [re, part] of CAUSE_RULES) if (re.test(t)) return `gunshot_${part}`;
    return 'gunshot_unspecified';
  }
  if (/\b(beat|beaten|beating|baton|batons|clubbed)\b|ضرب|باتوم|کتک/u.test(t)) return 'beating';
  if (/\b(run over|ran over|vehicle|car|truck)\b|زیر گرفت|خودرو|ماشین/u.test(t)) return 'vehicle';
  if (/\b(burn|burned|burnt|fire)\b|سوخت|اتش/u.test(t)) return 'fire';
  return null;
}

/** Free text of who did it → the vocabulary, as for causes. */
export function mapPerpetrator(text: string): string | null {
  const t = normalizeText(text);
  if ((PERPETRATORS as readonly string[]).includes(t.replace(/ /g, '_')))
    return t.replace(/ /g, '_');
  if (/(irgc|revolutionary guard|sepah|سپاه|پاسدار)/u.test(t)) return 'irgc';
  if (/(basij|بسیج)/u.test(t)) return 'basij';
  if (/(nopo|نوپو)/u.test(t)) return 'nopo';
  if (/(plain ?clothes|لباس شخصی)/u.test(t)) return 'plainclothes';
  if (/(police|faraja|naja|پلیس|نیروی انتظامی|فراجا|ناجا|یگان ویژه)/u.test(t)) return 'police';
  if (/(army|military|artesh|ارتش)/u.test(t)) return 'military';
  if (/(judiciary|court|قوه قضاییه|دادگاه)/u.test(t)) return 'judiciary';
  if (/(prison|زندان)/u.test(t)) return 'prison_authorities';
  if (
    /(security forces|security agents|ماموران امنیتی|نیروهای امنیتی|ماموران|نیروهای سرکوب)/u.test(t)
  )
    return 'security_forces';
  return null;
}
