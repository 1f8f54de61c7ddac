/**
 * The screen contract. Any XState machine is servable when:
 * - it accepts `{ type: 'INPUT', value: string }`;
 * - every state that waits for the customer carries `meta.ussd` (a {@link ScreenMeta});
 * - final states are END screens, rendered from their own `meta.ussd` or from the machine output `{ text }`.
 * States without `meta.ussd` (async work, routing) are passed through until a screen or a final state is reached.
 */
// @ts-nocheck

export interface ScreenOption {
  key: string;
  label: string;
}

export interface Screen {
  /** Header text, shown above the options on the first page. */
  text: string;
  options?: ScreenOption[] | undefined;
  /** Engine navigation (`0` back, `00` home) on this screen. Default true. */
  nav?: boolean | undefined;
  /** Offer to continue here when a dropped session redials. Default false. */
  resumable?: boolean | undefined;
}

export interface ScreenMeta {
  render: (context: any) => Screen;
}

export interface NavigationKeys {
  back: string;
  home: string;
  more: string;
}

export const defaultNavigationKeys: NavigationKeys = { back: '0', home: '00', more: '98' };

export interface NavigationLabels {
  more: string;
  back: string;
}

export const defaultNavigationLabels: NavigationLabels = { more: 'More', back: 'Back' };
