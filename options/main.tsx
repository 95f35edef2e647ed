/** Options page entry: renders the settings UI (`Options.tsx`). */
import { render } from 'preact';
import { Options } from './Options';

render(<Options />, document.getElementById('root')!);
