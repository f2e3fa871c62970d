import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { View } from '../../src/app/views';
import { commandLists } from '../../src/packaging/bot-commands';
import { projectPath } from '../../src/project-path';
import { parseCommand } from '../../src/teams/commands';
import type { Handler, Services } from '../../src/teams/handlers/handler';
import { ActionRouter } from '../../src/teams/router';
import { VERB_ENTRIES, VERBS, VerbTable, type VerbEntry } from '../../src/teams/verbs';

const caller = { tenantId: 'tenant', aadObjectId: 'someone' };
const services = {} as Services;
const quiet = { error: () => undefined };

/**
 * Adding a verb is one entry in the verb table (src/teams/verbs.ts) and one handler file: the
 * command parser, the router, the group-chat refresh and the manifest's command menu all read it.
 */
describe('the verb table', () => {
  const ping: Handler = async ({ input }) => ({ view: { view: 'help', welcome: false, adminName: `pong ${input.optional('target') ?? ''}`.trim() } });
  const withPing = new VerbTable([
    ...VERB_ENTRIES,
    {
      verb: 'ping',
      handler: ping,
      aliases: ['ping'],
      argument: { words: ['poke'], fields: ['target'], example: 'poke Contoso' },
      refresh: { view: 'help', data: () => ({ target: 'again' }) },
      menu: { title: 'ping', description: 'Check that Switchboard answers' },
    },
  ]);

  it('one entry gives a new verb its typed commands, its route, its refresh and its menu line', async () => {
    expect(parseCommand('Ping!', withPing)).toEqual({ verb: 'ping', data: {}, source: { kind: 'typed', command: 'ping' } });
    expect(parseCommand('poke  Contoso Telecom', withPing)).toMatchObject({ verb: 'ping', data: { target: 'Contoso Telecom' } });
    expect(parseCommand('ping')).toMatchObject({ verb: 'unknown' });

    const router = new ActionRouter(services, quiet, 1_000, withPing);
    const typed = await router.route(parseCommand('poke Contoso', withPing), caller, undefined);
    expect(typed.view).toEqual({ view: 'help', welcome: false, adminName: 'pong Contoso' });
    const clicked = await router.route({ verb: 'ping', data: {}, source: { kind: 'execute' } }, caller, undefined);
    expect(clicked.view).toMatchObject({ adminName: 'pong' });

    expect(withPing.refresh({ view: 'help', welcome: false })).toEqual({ verb: 'ping', data: { target: 'again' } });
    expect(commandLists(withPing.menu())[0]!.commands.map((c) => c.title)).toContain('ping');
  });

  it('refuses a table that gives one command, word or refreshed view to two verbs', () => {
    const entry = (fields: Partial<VerbEntry>): VerbEntry => ({ verb: 'x', handler: VERBS.handler('help')!, ...fields });
    expect(() => new VerbTable([...VERB_ENTRIES, entry({ verb: 'ping', aliases: ['Where  am I'] })])).toThrow('the command "where am i" to both whereAmI and ping');
    expect(() => new VerbTable([...VERB_ENTRIES, entry({ verb: 'lookup', argument: { words: ['search'], fields: ['query'], example: 'lookup x' } })])).toThrow('the command word "search" to both find and lookup');
    expect(() => new VerbTable([...VERB_ENTRIES, entry({ verb: 'find' })])).toThrow('the verb "find" to both find and find');
    const again = VERB_ENTRIES.find((e) => e.verb === 'history')!.refresh!;
    expect(() => new VerbTable([...VERB_ENTRIES, entry({ verb: 'recent', refresh: again })])).toThrow('the refresh of view "subscriptionHistory" to both history and recent');
  });

  it('refreshes read-only views in group chats and never the editable subscriptions card', () => {
    const account = { id: 'acme-dental', name: 'Acme Dental Practice' };
    expect(VERBS.refresh({ view: 'subscriptions', editable: true, account } as unknown as View)).toBeUndefined();
    expect(VERBS.refresh({ view: 'subscriptions', editable: false, account } as unknown as View)).toEqual({ verb: 'subscriptions', data: { accountId: 'acme-dental' } });
    expect(VERBS.refresh({ view: 'accountTree', parent: account } as unknown as View)).toEqual({ verb: 'accounts', data: { accountId: 'acme-dental' } });
    expect(VERBS.refresh({ view: 'error' } as unknown as View)).toBeUndefined();
  });

  it('knows every verb a card template sends', () => {
    const dir = projectPath('cards');
    const sent = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/"verb"\s*:\s*"([^"$]+)"/g)].map((m) => m[1]!));
    expect(sent.length).toBeGreaterThan(10);
    for (const verb of new Set(sent)) expect({ verb, known: VERBS.handler(verb) !== undefined }).toEqual({ verb, known: true });
  });
});
