import type { Section } from '../section.ts';

/** Concurrency and idle memory: a placeholder until the section is built. */
export const concurrency: Section = async () => ({
  title: 'Concurrency and idle memory',
  rows: [{ figure: 'concurrency section', value: 'not built yet' }],
  data: {},
});
