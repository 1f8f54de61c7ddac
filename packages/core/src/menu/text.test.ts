import { describe, expect, it } from 'vitest';
import { pickLanguage, resolveText, type SessionInfo } from './text.js';

const session: SessionInfo = {
  sessionId: 's',
  phoneNumber: '+233200000001',
  serviceCode: '*920#',
  provider: 'test',
};

describe('pickLanguage', () => {
  const text = { en: 'Pay', sw: 'Lipa', fr: 'Payer' };

  it('returns a plain string whatever the language', () => {
    expect(pickLanguage('Pay', 'sw', 'en')).toBe('Pay');
  });

  it('takes the asked language, then the fallback, then the first given, then nothing', () => {
    expect(pickLanguage(text, 'sw', 'en')).toBe('Lipa');
    expect(pickLanguage(text, undefined, 'fr')).toBe('Payer');
    expect(pickLanguage(text, 'de', 'fr')).toBe('Payer');
    expect(pickLanguage({ sw: 'Lipa', fr: 'Payer' }, 'de', 'en')).toBe('Lipa');
    expect(pickLanguage({}, 'de', 'en')).toBe('');
  });

  it('keeps an empty translation instead of falling back', () => {
    expect(pickLanguage({ en: 'Pay', sw: '' }, 'sw', 'en')).toBe('');
  });
});

describe('resolveText', () => {
  it('computes a text from the context and the session before picking the language', () => {
    const computed = (ctx: { n: number }, s: SessionInfo) => ({
      en: `${ctx.n} for ${s.phoneNumber}`,
      sw: `${ctx.n} kwa`,
    });
    expect(resolveText(computed, { n: 3 }, session, 'sw', 'en')).toBe('3 kwa');
    expect(resolveText(computed, { n: 4 }, session, undefined, 'en')).toBe('4 for +233200000001');
    expect(resolveText(() => 'Plain', { n: 0 }, session, 'sw', 'en')).toBe('Plain');
    expect(resolveText({ en: 'Fixed', sw: 'Imara' }, { n: 0 }, session, 'sw', 'en')).toBe('Imara');
  });
});
