// The agent console's bundle entry (dist/demo/agent.js): defines <jivo-agent-console>.
import { define } from '../../src/internal/define.js';
import { JivoAgentConsole } from './agent-console.js';

define('jivo-agent-console', JivoAgentConsole);
