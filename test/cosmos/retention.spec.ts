import { loadConfig, type CosmosSettings } from '../../src/config';
import { CONTAINER_SPECS, containersOf, type CosmosContainers } from '../../src/directory/cosmos/containers';
import { auditDocId, type AuditDoc } from '../../src/directory/cosmos/documents';
import { openCosmosStores, setCosmosTestOptions } from '../../src/directory/cosmos/open-cosmos';
import { readDirectoryFile } from '../../src/directory/directory-file';
import { BotClient } from '../support/bot-client';
import { cosmosDirectoryWith, STAND_IN_KEY, useCosmosStandIn } from '../support/cosmos-server';
import { ALEX, DEMO_FILE, TENANT } from '../support/directories';
import { startLoggedServer } from '../support/logged-server';
import { entry } from '../contract/directory-contract';
import { LASTING_STATE_PREFIX } from '../../src/directory/stores';
import { NoticeSubscribers } from '../../src/teams/notice-subscribers';

/**
 * Nothing Switchboard writes at run time piles up for ever: conversation positions expire
 * COSMOS_STATE_TTL_DAYS after their last change (each admin's notice preferences and personal chat
 * are kept until changed or deleted), audit entries COSMOS_AUDIT_RETENTION_DAYS after
 * they were applied (each item carries its ttl; the containers honour it). The stand-in keeps
 * the ttl but never expires anything, so what is checked is the ttl written on each item.
 */
const DAY = 86_400;
const alex = { tenantId: TENANT, aadObjectId: ALEX };

const suite = useCosmosStandIn();

async function demoDatabase(): Promise<{ database: string; editor: CosmosContainers }> {
  const { database, client } = await cosmosDirectoryWith(suite.standIn, readDirectoryFile(DEMO_FILE));
  suite.clients.push(client);
  return { database, editor: containersOf(client.database(database)) };
}

/** Every item of a container, as stored. */
async function itemsOf(container: CosmosContainers['state']): Promise<Record<string, unknown>[]> {
  return (await container.items.readAll<Record<string, unknown>>().fetchAll()).resources;
}

function cosmosSettings(database: string, env: Record<string, string>): CosmosSettings {
  const config = loadConfig({ NODE_ENV: 'test', INSECURE_UNAUTHENTICATED_LOOPBACK: 'true', DIRECTORY: 'cosmos', COSMOS_ENDPOINT: suite.standIn.endpoint, COSMOS_KEY: STAND_IN_KEY, COSMOS_DATABASE: database, ...env });
  if (config.directory.kind !== 'cosmos') throw new Error('not cosmos');
  return config.directory;
}

describe('retention of what Switchboard writes at run time', () => {
  it('over HTTP: every conversation position the bot writes expires COSMOS_STATE_TTL_DAYS after its last change', async () => {
    const { database, editor } = await demoDatabase();
    setCosmosTestOptions(suite.standIn.options());
    const logged = await startLoggedServer({ DIRECTORY: 'cosmos', COSMOS_ENDPOINT: suite.standIn.endpoint, COSMOS_KEY: STAND_IN_KEY, COSMOS_DATABASE: database, COSMOS_STATE_TTL_DAYS: '7' });
    try {
      const bot = BotClient.attach(logged.server);
      await bot.say(alex, 'where am i'); // the first turn creates the position
      await bot.say(alex, 'open wingtip-it'); // and a move replaces it, against its eTag
      const all = await itemsOf(editor.state);
      // The personal chat recorded for notices is kept until deleted (an uninstall), never expired.
      const lasting = all.filter((i) => String(i.key).startsWith(LASTING_STATE_PREFIX));
      expect(lasting.map((i) => [i.key, i.ttl])).toEqual([[NoticeSubscribers.chatKey(alex), undefined]]);
      const items = all.filter((i) => !lasting.includes(i));
      expect(items.length).toBeGreaterThan(0);
      expect(items.map((i) => i.ttl)).toEqual(items.map(() => 7 * DAY));
      expect(JSON.stringify(items.map((i) => i.value))).toContain('wingtip-it');
    } finally {
      await logged.close();
      setCosmosTestOptions(undefined);
    }
  });

  it('keeps an applied audit entry COSMOS_AUDIT_RETENTION_DAYS (default 730), and never expires the account it changed', async () => {
    for (const [env, days] of [[{ COSMOS_AUDIT_RETENTION_DAYS: '30' }, 30], [{}, 730]] as const) {
      const { database, editor } = await demoDatabase();
      const stores = await openCosmosStores(cosmosSettings(database, env), suite.standIn.options());
      try {
        const account = (await stores.directory.getAccount('acme-dental', { fresh: true }))!;
        const applied = entry('acme-dental');
        const outcome = await stores.directory.applySubscriptionChange({ accountId: 'acme-dental', expectedVersion: account.version, subscriptions: [{ sku: 'C2TU1', quantity: 3, assigned: 1 }], entry: applied });
        expect(outcome.status).toBe('applied');
        const { resource: audit } = await editor.accounts.item(auditDocId('acme-dental', applied.actionId), 'northwind').read<AuditDoc>();
        expect(audit?.ttl).toBe(days * DAY);
        const { resource: changed } = await editor.accounts.item('acme-dental', 'northwind').read<Record<string, unknown>>();
        expect(changed?.version).toBe(String(Number(account.version) + 1));
        expect(changed).not.toHaveProperty('ttl');
      } finally {
        await stores.close();
      }
    }
  });

  it('creates bot state and accounts containers that honour per-item ttl, and lookups that never expire', async () => {
    const { editor } = await demoDatabase();
    const ttlOf = async (c: CosmosContainers['state']) => (await c.read()).resource?.defaultTtl;
    expect(CONTAINER_SPECS.state.perItemTtl && CONTAINER_SPECS.accounts.perItemTtl && !CONTAINER_SPECS.lookups.perItemTtl).toBe(true);
    expect([await ttlOf(editor.state), await ttlOf(editor.accounts), await ttlOf(editor.lookups)]).toEqual([-1, -1, undefined]);
  });
});
