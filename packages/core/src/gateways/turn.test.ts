import { describe, expect, it } from 'vitest';
import { parseReply, reply } from './turn.js';

describe('reply and parseReply', () => {
  it('puts the type before the text on the wire', () => {
    expect(reply('CON', 'Menu\n1. Pay')).toStrictEqual({ type: 'CON', text: 'Menu\n1. Pay', body: 'CON Menu\n1. Pay' });
    expect(reply('END', '')).toStrictEqual({ type: 'END', text: '', body: 'END ' });
  });

  it('reads a stored body back into its type and text', () => {
    expect(parseReply('END Thank you')).toStrictEqual({ type: 'END', text: 'Thank you', body: 'END Thank you' });
    expect(parseReply('CON Menu\n1. Pay')).toStrictEqual({
      type: 'CON',
      text: 'Menu\n1. Pay',
      body: 'CON Menu\n1. Pay',
    });
    expect(parseReply('END ')).toStrictEqual({ type: 'END', text: '', body: 'END ' });
  });

  it('treats END as the type only at the start of the body', () => {
    expect(parseReply('CON END of list')).toStrictEqual({ type: 'CON', text: 'END of list', body: 'CON END of list' });
  });
});
