import type { Section } from '../section.ts';

/** Widget size and Chromium main-thread time: a placeholder until the section is built. */
export const widget: Section = async () => ({
  title: 'Widget: size and main-thread time',
  rows: [{ figure: 'widget section', value: 'not built yet' }],
  data: {},
});
