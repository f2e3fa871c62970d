import { DEFAULT_NAVIGATOR_OPTIONS, Navigator } from '../../src/app/navigator';
import type { AccountRecord } from '../../src/domain/directory-document';
import { DEFAULT_PORTAL_TEMPLATES } from '../../src/domain/portals';
import { EmbeddedDirectory } from '../../src/directory/embedded/embedded-directory';
import { CARD_MODES, BotClient, textOf } from '../support/bot-client';
import { OFFERS, TENANT, admin, writeDirectory } from '../support/directories';

/** Hints that point upward say so without naming, and are true for the admin who reads them. */
const accounts: AccountRecord[] = [
  { id: 'top', name: 'Topmost Holdings', parentId: null, kind: 'partner', enabledOffers: ['C2TU1'] },
  { id: 'res', name: 'Middle Reseller', parentId: 'top', kind: 'reseller', enabledOffers: ['C2TU1'] },
  { id: 'cust', name: 'Leaf Customer', parentId: 'res', kind: 'customer', subscriptions: [{ sku: 'C2TU1', quantity: 5, assigned: 1 }] },
  { id: 'direct', name: 'Direct Customer', parentId: 'top', kind: 'customer', subscriptions: [{ sku: 'C2TU1', quantity: 5, assigned: 1 }] },
];
const own = admin('own-admin', [['cust', ['AccountOwner', 'SubscriptionContributor']]], 'Own Admin');
const viewer = admin('res-viewer', [['res', ['SubscriptionViewer']]], 'Reseller Viewer');
const rootViewer = admin('root-viewer', [['top', ['SubscriptionViewer', 'BrandContributor']]], 'Root Viewer');
const brandOnly = admin('brand-only', [['top', ['BrandContributor']], ['cust', ['BrandContributor']]], 'Brand Only');
const doc = { offers: OFFERS, accounts, admins: [own, viewer, rootViewer, brandOnly] };

describe.each(CARD_MODES)('hints about who can change things, over HTTP (%s buttons)', (mode) => {
  let bot: BotClient;
  beforeAll(async () => {
    bot = await BotClient.start({ DIRECTORY_FILE: writeDirectory(doc), DATA_DIR: 'none' }, mode);
  });
  afterAll(() => bot.close());

  it('tells a customer’s own admin that an account above theirs can change it, without naming it', async () => {
    const [card] = await bot.say({ aadObjectId: own.aadObjectId }, 'subscriptions');
    expect(textOf(card!)).toContain('Only an administrator holding Subscription Contributor on an account above yours can change them.');
    expect(JSON.stringify(card)).not.toMatch(/Middle Reseller|Topmost Holdings|"res"|"top"/);
  });

  it('names the base level when the admin can see it, and says "or above" only when something is above it', async () => {
    const [below] = await bot.submit({ aadObjectId: viewer.aadObjectId }, { verb: 'subscriptions', accountId: 'cust' });
    expect(textOf(below!)).toContain('Subscription Contributor on Middle Reseller or above can change them.');
    expect(JSON.stringify(below)).not.toContain('Topmost Holdings');
    const [direct] = await bot.submit({ aadObjectId: rootViewer.aadObjectId }, { verb: 'subscriptions', accountId: 'direct' });
    expect(textOf(direct!)).toContain('Subscription Contributor on Topmost Holdings can change them.');
  });
});

describe.each(CARD_MODES)('the portal card’s hint when the admin’s roles show no links (%s buttons)', (mode) => {
  it('points at an Account Owner above only where there is an account above', async () => {
    const directory = await EmbeddedDirectory.open({ seedFile: writeDirectory(doc) });
    const navigator = new Navigator(directory, { ...DEFAULT_NAVIGATOR_OPTIONS, portals: DEFAULT_PORTAL_TEMPLATES });
    const caller = { tenantId: TENANT, aadObjectId: brandOnly.aadObjectId };
    const root = await navigator.portals(caller, { accountId: 'top', scopeRootId: 'top' });
    const below = await navigator.portals(caller, { accountId: 'cust', scopeRootId: 'cust' });
    await directory.close();
    expect(root.view.links).toEqual([]);
    expect(root.view.noLinksHint).toBe('An Account Owner of Topmost Holdings can give you a Service or Subscription role.');
    expect(below.view.links).toEqual([]);
    expect(below.view.noLinksHint).toBe('An Account Owner of this account or of an account above it can give you a Service or Subscription role.');
  });
});
