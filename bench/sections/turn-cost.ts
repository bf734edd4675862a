import type { Section } from '../section.ts';

export const turnCost: Section = async () => ({ title: 'turn-cost', rows: [{ figure: 'turn-cost', value: 'not built yet' }], data: {} });
