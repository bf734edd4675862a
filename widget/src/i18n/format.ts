/*
 * Number, size and duration wording for the tables, through the browser's Intl (no data in
 * the bundle). English keeps its own short forms in en.ts.
 */

const UNITS = ['kilobyte', 'megabyte', 'gigabyte'] as const;

/** A file size in `locale`: "4,2 kB", "10 MB", "812 byte". */
export function fileSizeIn(locale: string): (bytes: number) => string {
  return (bytes) => {
    if (bytes < 1024) return new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte', unitDisplay: 'short' }).format(bytes);
    let value = bytes / 1024;
    let unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    const digits = value < 10 ? 1 : 0;
    return new Intl.NumberFormat(locale, { style: 'unit', unit: UNITS[unit], unitDisplay: 'short', maximumFractionDigits: digits }).format(value);
  };
}

/** A short duration in `locale`: "12 s", "3 min", "12초". */
export function durationIn(locale: string, unit: 'second' | 'minute'): (n: number) => string {
  return (n) => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(n);
}

/** A plain number in `locale` (Arabic-Indic digits in Arabic). */
export function numberIn(locale: string): (n: number) => string {
  return (n) => new Intl.NumberFormat(locale).format(n);
}

/** Picks the form for `n` by the language's plural rules (`one`, `two`, `few`, `many`, `other`). */
export function pluralIn(locale: string): (n: number, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }) => string {
  return (n, forms) => forms[new Intl.PluralRules(locale).select(n)] ?? forms.other;
}

/**
 * A title without its own closing punctuation ("Refund order 1234?" → "Refund order 1234"), so
 * each language can turn it into a question with its own marks ("¿…?", "…؟").
 */
export function bareTitle(title: string): string {
  return title.replace(/^[¿¡]+/, '').replace(/[?.!؟？。！]+$/u, '');
}
