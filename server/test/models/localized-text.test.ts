import { AgentSpec } from '@agent-chat/shared';
import { describe, expect, it } from 'vitest';
import { localizedTextIn, withLocalizedText } from '../../src/models/localized-text.ts';

describe('localized text with the instructions', () => {
  it('travels appended to the instructions and is read back per language; without any the instructions are unchanged', () => {
    const instructions = withLocalizedText('You are the front desk.\n[es] not a localized line', { es: 'Soy el mostrador.\n  Hola.', fr: 'Je suis l\'accueil.' });
    expect(instructions.startsWith('You are the front desk.\n[es] not a localized line\n\n')).toBe(true);
    expect(localizedTextIn(instructions, 'es')).toBe('Soy el mostrador. Hola.');
    expect(localizedTextIn(instructions, 'fr')).toBe('Je suis l\'accueil.');
    expect(localizedTextIn(instructions, 'de')).toBeUndefined();
    // A line in the instructions that only looks like one is not read without the heading.
    expect(localizedTextIn('You are the front desk.\n[es] not a localized line', 'es')).toBeUndefined();
    expect(withLocalizedText('You are the front desk.', undefined)).toBe('You are the front desk.');
    expect(withLocalizedText('You are the front desk.', {})).toBe('You are the front desk.');
  });

  it('is keyed by two-letter language codes in a workflow', () => {
    const agent = { id: 'triage', name: 'Triage', instructions: 'x' };
    expect(AgentSpec.safeParse({ ...agent, localizedText: { es: 'Hola' } }).success).toBe(true);
    expect(AgentSpec.safeParse({ ...agent, localizedText: { spanish: 'Hola' } }).success).toBe(false);
    expect(AgentSpec.safeParse({ ...agent, localizedText: { es: '' } }).success).toBe(false);
  });
});
