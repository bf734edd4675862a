/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), enough to check what
 * `GET /metrics` serves: every line is a `# HELP`, a `# TYPE` or a sample; every sample belongs
 * to a family whose TYPE came first; label values are quoted and escaped. Throws naming the
 * first bad line.
 */

/** One sample line: `name{labels} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A parsed exposition: the samples, and each family's declared type. */
export interface Exposition {
  samples: Sample[];
  types: Map<string, string>;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const VALUE = '(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|[Nn][Aa][Nn]|[+-][Ii][Nn][Ff])';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? (${VALUE})(?: -?\\d+)?$`);
const HELP = new RegExp(`^# HELP (${NAME}) .*$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
const ONE_LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g;

/** The family a sample belongs to: histogram and summary samples carry a suffix. */
function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    const base = name.endsWith(suffix) ? name.slice(0, -suffix.length) : undefined;
    if (base && (types.get(base) === 'histogram' || types.get(base) === 'summary')) return base;
  }
  return undefined;
}

export function parsePrometheusText(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const where = `line ${index + 1}: ${JSON.stringify(line)}`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const type = TYPE.exec(line);
      if (type) {
        if (types.has(type[1]!)) throw new Error(`${where}: a second TYPE for ${type[1]}`);
        types.set(type[1]!, type[2]!);
      } else if (!HELP.test(line)) throw new Error(`${where}: not a HELP or TYPE line`);
      return;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`${where}: not a sample line`);
    const name = match[1]!;
    if (!familyOf(name, types)) throw new Error(`${where}: no TYPE line declared ${name} before it`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(ONE_LABEL)) {
      if (key! in labels) throw new Error(`${where}: label ${key} twice`);
      labels[key!] = value!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    const raw = match[3]!;
    // Go's ParseFloat, which Prometheus uses, takes NaN and Inf in any case (prom-client writes `Nan`).
    const special = raw.toLowerCase();
    samples.push({ name, labels, value: special === 'nan' ? NaN : special === '+inf' ? Infinity : special === '-inf' ? -Infinity : Number(raw) });
  });
  return { samples, types };
}

/** Samples named `name` whose labels include `labels`. */
export function samplesOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): Sample[] {
  return exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The sum of the values of those samples (0 when there are none). */
export function valueOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  return samplesOf(exposition, name, labels).reduce((sum, s) => sum + s.value, 0);
}
