import type { Section } from '../section.ts';

export const relay: Section = async () => ({ title: 'relay', rows: [{ figure: 'relay', value: 'not built yet' }], data: {} });
