// The renderer tests read the interface in English (they query by its words); tests of
// another language switch it themselves and switch back.
import { afterEach } from 'vitest';
import { setLanguage } from '../../renderer/i18n/i18n.ts';

setLanguage('en');
afterEach(() => setLanguage('en'));
