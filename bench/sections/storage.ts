import type { Section } from '../section.ts';

export const storage: Section = async () => ({ title: 'storage', rows: [{ figure: 'storage', value: 'not built yet' }], data: {} });
