/** options page entry (placeholder until issue 4 lands). */
import { render } from 'preact';
render(<p>Briefing Lens</p>, document.getElementById('root')!);
