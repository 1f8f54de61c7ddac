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
  /**
   * A line that cannot fit any page: `refuse` it (fixed screens, checked when the menu is built) or `cut` it with a
   * visible `...` on a page of its own (screens computed at run time), so every option stays reachable. Default
   * `refuse`.
   */
  overflow?: 'refuse' | 'cut' | undefined;
  /** Called with each line that had to be cut. */
  onCut?: ((line: string) => void) | undefined;
}

const ELLIPSIS = '...';

/** A screen cut into bodies (prefix excluded) that each fit, options never split across pages. */
export function paginate(screen: Screen, o: PaginateOptions): string[] {
  const options = screen.options ?? [];
  const lines = options.map((opt) => `${opt.key}. ${opt.label}`);
  const whole = [screen.text, ...lines].filter((l) => l !== '').join('\n');
  if (fits(whole, o)) return [whole];
  if (lines.length === 0) throw overBudget(screen.text, o);
  const cut = o.overflow === 'cut';

  const moreLine = `${o.keys.more}. ${o.labels.more}`;
  const backLine = `${o.keys.back}. ${o.labels.back}`;
  const pages: string[] = [];
  const footer = (last: boolean) => {
    const f: string[] = [];
    if (!last) f.push(moreLine);
    if (pages.length > 0 && o.nav) f.push(backLine);
    return f;
  };
  const fitted = (line: string, last: boolean): string => {
    if (fits([line, ...footer(last)].join('\n'), o)) return line;
    if (!cut) throw overBudget(line, o);
    const shorter = shorten(line, footer(last), o);
    o.onCut?.(line);
    return shorter;
  };
  let current: string[] = [];
  if (screen.text !== '') current = [cut ? fittedHeader(screen.text, footer(false), o) : screen.text];
  let onPage = 0;
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
    if (onPage === 0 && !cut) throw overBudget(line, o);
    if (current.length > 0) pages.push([...current, ...footer(false)].join('\n'));
    current = [fitted(line, last)];
    onPage = 1;
  }
  pages.push([...current, ...footer(true)].join('\n'));
  return pages;
}

/** A header that leaves no room for its page's footer is cut, so the options after it can still be reached. */
function fittedHeader(text: string, foot: string[], o: PaginateOptions): string {
  if (fits([text, ...foot].join('\n'), o)) return text;
  const shorter = shorten(text, foot, o);
  o.onCut?.(text);
  return shorter;
}

/** The longest start of `line` (whole characters) that fits on a page with a visible ellipsis above `below`. */
function shorten(line: string, below: string[], o: PaginateOptions): string {
  const chars = Array.from(line);
  let n = chars.length;
  while (n > 0 && !fits([chars.slice(0, n).join('') + ELLIPSIS, ...below].join('\n'), o)) n--;
  return chars.slice(0, n).join('') + ELLIPSIS;
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
