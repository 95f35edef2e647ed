/** Content script entry: starts the lens (placeholder wiring until hover cards land). */
import { Lens, bundledLexicon, currentSettings } from './lens';

const lens = new Lens(bundledLexicon());
void currentSettings().then((s) => lens.applySettings(s));
