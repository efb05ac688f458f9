/** The colour theme: a chosen light or dark, or the system's. */

import type { Settings } from '../../state/types.ts';

export function applyTheme(theme: Settings['theme']): void {
  if (theme === 'system') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = theme;
}
