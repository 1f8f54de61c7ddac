import { UssdError } from '../errors.js';
import { measureBody } from './budget.js';
import type { NavigationKeys, NavigationLabels, Screen } from './screen.js';

export interface PaginateOptions {
  prefix: 'CON ' | 'END ';
  septetLimit: number;
  keys: NavigationKeys;
  labels: NavigationLabels;
  /** Whether `0. Back` may be offered on later pages (off when the screen opted out of navigation). */
  nav: boolean;
}

/** A screen cut into bodies (prefix excluded) that each fit, options never split across pages. */
export function paginate(screen: Screen, o: PaginateOptions): string[] {
  const options = screen.options ?? [];
  const lines = options.map((opt) => `${opt.key}. ${opt.label}`);
  const whole = [screen.text, ...lines].filter((l) => l !== '').join('\n');
  if (fits(whole, o)) return [whole];
  if (lines.length === 0) throw overBudget(screen.text, o);

  const moreLine = `${o.keys.more}. ${o.labels.more}`;
  const backLine = `${o.keys.back}. ${o.labels.back}`;
  const pages: string[] = [];
  let current: string[] = screen.text === '' ? [] : [screen.text];
  let onPage = 0;
  const footer = (last: boolean) => {
    const f: string[] = [];
    if (!last) f.push(moreLine);
    if (pages.length > 0 && o.nav) f.push(backLine);
    return f;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const last = i === lines.length - 1;
    // The page must still close with its footer; "More" is needed unless this is the last option.
    const candidate = [...current, line, ...footer(last)].join('\n');
    if (fits(candidate, o)) {
      current.push(line);
      onPage++;
      continue;
    }
    if (onPage === 0) throw overBudget(line, o);
    pages.push([...current, ...footer(false)].join('\n'));
    current = [line];
    onPage = 1;
    if (!fits([...current, ...footer(last)].join('\n'), o)) throw overBudget(line, o);
  }
  pages.push([...current, ...footer(true)].join('\n'));
  return pages;
}

function fits(body: string, o: PaginateOptions): boolean {
  return measureBody(o.prefix + body, o.septetLimit).fits;
}

function overBudget(text: string, o: PaginateOptions): UssdError {
  const m = measureBody(o.prefix + text, o.septetLimit);
  return new UssdError(
    'MENU_DEFINITION',
    `screen text does not fit: ${m.units} ${m.encoding} units against a limit of ${m.limit}: "${text.slice(0, 40)}..."`,
  );
}
