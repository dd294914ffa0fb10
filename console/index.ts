// The agent console's bundle entry (dist/console/index.js): defines <jivo-agent-console>.
import { define } from '../src/internal/define.js';
import { JivoAgentConsole } from './agent-console.js';
import { JivoSiteSettings } from './site-settings.js';

define('jivo-site-settings', JivoSiteSettings);
define('jivo-agent-console', JivoAgentConsole);
