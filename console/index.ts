// The agent console's bundle entry (dist/console/index.js): defines <jivo-agent-console>.
import { define } from '../src/internal/define.js';
import { JivoAgentConsole } from './agent-console.js';

define('jivo-agent-console', JivoAgentConsole);
