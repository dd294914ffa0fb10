/**
 * `agents` on the command line: accounts are managed where the server runs, by whoever can read its data directory.
 *
 *   node dist/server/main.mjs agents list
 *   node dist/server/main.mjs agents add <login> <name> [--admin]   prints a generated password, once
 *   node dist/server/main.mjs agents password <login>               a new generated password; ends the old sessions
 *   node dist/server/main.mjs agents disable <login>                ends its sessions and closes its consoles
 *   node dist/server/main.mjs agents enable <login>
 *
 * (`npm run agents -- add …` runs the same.) It edits `<DATA_DIR>/agents.json`, or with DATABASE_URL the accounts in
 * the database; a running server applies the change within a second (every server sharing the database, at once).
 */
import {
  addAccount,
  checkPassword,
  generatePassword,
  hashPassword,
  normalizeLogin,
  readAccounts,
  writeAccounts,
  type AgentAccount,
} from './accounts.js';

/** Where the accounts are: agents.json in the data directory, or the database (with DATABASE_URL). */
export interface AccountsIo {
  accounts: AgentAccount[];
  save(accounts: readonly AgentAccount[]): Promise<void>;
}

/** The accounts file in `dataDir`. */
export const accountsFile = (dataDir: string): AccountsIo => ({
  accounts: readAccounts(dataDir),
  save: (accounts) => Promise.resolve(writeAccounts(dataDir, accounts)),
});

const USAGE = `usage: agents list
       agents add <login> <name> [--admin]
       agents password <login>
       agents disable <login>
       agents enable <login>`;

/** Runs one command; returns what to print. Throws with a message for the user. */
export async function agentsCommand(io: AccountsIo, args: string[]): Promise<string> {
  const [command, ...rest] = args;
  const { accounts } = io;
  const find = (login: string | undefined) => {
    const l = normalizeLogin(login);
    const account = l === null ? undefined : accounts.find((a) => a.login === l);
    if (!account) throw new Error(`no account has the login ${login ?? '(none)'}`);
    return account;
  };
  switch (command) {
    case 'list':
      if (!accounts.length) return 'no agent accounts yet: agents add <login> <name> --admin';
      return accounts
        .map((a) => `${a.login}\t${a.name}\t${a.role}${a.disabled ? '\tdisabled' : ''}\t${a.id}`)
        .join('\n');
    case 'add': {
      const positional = rest.filter((a) => !a.startsWith('--'));
      const flags = rest.filter((a) => a.startsWith('--'));
      if (positional.length !== 2 || flags.some((f) => f !== '--admin')) throw new Error(USAGE);
      const [login, name] = positional;
      const { account, password } = await addAccount(accounts, {
        login,
        name,
        role: flags.includes('--admin') ? 'admin' : 'agent',
      });
      await io.save(accounts);
      return `added ${account.role} ${account.login} (${account.name})\npassword: ${password}\n(shown once: give it to them over a channel you trust)`;
    }
    case 'password': {
      if (rest.length !== 1) throw new Error(USAGE);
      const account = find(rest[0]);
      const password = generatePassword();
      const problem = checkPassword(password);
      if (problem) throw new Error(problem);
      account.passwordHash = await hashPassword(password);
      account.passwordChangedAt = Date.now();
      await io.save(accounts);
      return `new password for ${account.login}: ${password}\n(their sessions have ended)`;
    }
    case 'disable':
    case 'enable': {
      if (rest.length !== 1) throw new Error(USAGE);
      const account = find(rest[0]);
      account.disabled = command === 'disable';
      await io.save(accounts);
      return `${account.login} ${command}d${command === 'disable' ? ' (their sessions have ended)' : ''}`;
    }
    default:
      throw new Error(USAGE);
  }
}
