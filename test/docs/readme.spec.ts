import { readFileSync } from 'node:fs';
import { SETTINGS } from '../../src/config';
import {
  BASE_PORTAL_ROLES,
  BROWSE_ROLES,
  CHANGE_OFFER_ROLES,
  CHANGE_SUBSCRIPTION_ROLES,
  CLIENT_PORTAL_ROLES,
  CUSTOMER_PORTAL_ROLES,
  VIEW_SUBSCRIPTION_ROLES,
} from '../../src/domain/permissions';
import { projectPath } from '../../src/project-path';
import { parseCommand } from '../../src/teams/commands';

/** The README is what newcomers trust: its tables must say what the code does. */
const readme = readFileSync(projectPath('README.md'), 'utf8');

function tableRow(firstCell: string): string[] {
  const line = readme.split('\n').find((l) => l.startsWith(`| ${firstCell} |`));
  if (!line) throw new Error(`README has no table row starting with "${firstCell}"`);
  return line.split('|').slice(1, -1).map((c) => c.trim());
}

const roles = (cell: string) => cell.replace(/\*\*held on an account above\*\* this one/, '').split(',').map((r) => r.trim()).filter(Boolean);

describe('README', () => {
  it.each([
    ['See and open sub accounts, search below', BROWSE_ROLES],
    ['Account Portal of a base account (Administrators, subscriptions)', BASE_PORTAL_ROLES],
    ['Account Portal of a client account (Services and Users)', CLIENT_PORTAL_ROLES],
    ['Customer Portal (client accounts only)', CUSTOMER_PORTAL_ROLES],
    ['See subscriptions', VIEW_SUBSCRIPTION_ROLES],
    ['Change subscriptions', CHANGE_SUBSCRIPTION_ROLES],
    ["See a base level's offers", VIEW_SUBSCRIPTION_ROLES],
    ["Change a reseller's offers", CHANGE_OFFER_ROLES],
  ])('permission table row "%s" lists exactly the roles the domain uses', (row, expected) => {
    expect(roles(tableRow(row)[1]!).sort()).toEqual([...expected].sort());
  });

  it('documents every setting, with its default', () => {
    for (const setting of SETTINGS) {
      const [, defaultCell] = tableRow(`\`${setting.name}\``);
      if (setting.default && setting.name !== 'HOST') expect(defaultCell).toBe(`\`${setting.default}\``);
    }
  });

  it('lists commands the bot understands', () => {
    const commands = readme
      .split('\n')
      .filter((l) => /^\| `[a-z]/.test(l) && !l.startsWith('| `NODE_ENV`'))
      .map((l) => /^\| `([^`]+)`/.exec(l)![1]!)
      .filter((c) => !/^[A-Z]/.test(c) && !c.startsWith('npm ') && !SETTINGS.some((s) => s.name === c));
    expect(commands.length).toBeGreaterThanOrEqual(12);
    for (const command of commands) {
      const example = command.replace('<name or id>', 'acme').replace('<text>', 'dental').replace('<sku> <quantity>', 'C2TU1 30').replace('<sku> on\\|off', 'C2TUT off');
      expect({ command, verb: parseCommand(example).verb }).not.toEqual({ command, verb: 'unknown' });
    }
  });

  it('gives the two commands a newcomer needs', () => {
    expect(readme).toContain('npm install && npm start');
    expect(readme).toContain('npm test');
  });
});
