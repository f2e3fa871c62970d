import { readFileSync } from 'node:fs';
import { EmbeddedDirectory } from '../../src/directory/embedded/embedded-directory';
import type { Directory } from '../../src/directory/port';
import { describePlaygroundUser, playgroundUser } from '../../scripts/playground-greeting';
import { PLAYGROUND_CONFIG_FILE } from '../../scripts/playground';
import { DEMO_FILE, wideDirectory, writeDirectory } from '../support/directories';
import { PLAYGROUND_TENANT, playgroundConfigYaml } from '../support/playground';

/** `npm run playground` says who is chatting and what they administer, from the config and the directory loaded. */
describe('the Playground greeting', () => {
  let demo: Directory;
  beforeAll(async () => {
    demo = await EmbeddedDirectory.open({ seedFile: DEMO_FILE });
  });
  afterAll(() => demo.close());

  it('reads the committed config: Alex Wilber, owner of Northwind Voice', async () => {
    const user = playgroundUser(readFileSync(PLAYGROUND_CONFIG_FILE, 'utf8'));
    expect(user).toEqual({ name: 'Alex Wilber', aadObjectId: '00000000-0000-0000-0000-0000000000020', tenantId: PLAYGROUND_TENANT });
    expect(await describePlaygroundUser(user, demo, 'x.yml')).toBe('You are Alex Wilber: Account Owner and Subscription Contributor on Northwind Voice.');
  });

  it('names whoever the config makes the current user, with every tree they administer', async () => {
    const user = playgroundUser(playgroundConfigYaml('Lynne Robbins'));
    expect(user?.name).toBe('Lynne Robbins');
    expect(await describePlaygroundUser(user, demo, 'x.yml')).toBe('You are Lynne Robbins: Account Owner and Subscription Contributor on Contoso Telecom; Subscription Contributor on Hartley & Co Solicitors LLP.');
  });

  it('describes the directory actually loaded, not the demo', async () => {
    const wide = await EmbeddedDirectory.open({ seedFile: writeDirectory(wideDirectory(3)) });
    const user = playgroundUser(playgroundConfigYaml('Alex Wilber'));
    expect(await describePlaygroundUser(user, wide, 'x.yml')).toBe('You are Alex Wilber: Account Owner and Subscription Contributor on Wide Partner.');
    const nobody = playgroundUser(playgroundConfigYaml('Megan Bowen'));
    expect(await describePlaygroundUser(nobody, wide, 'x.yml')).toMatch(/^You are Megan Bowen, who administers nothing in the loaded directory: .* swap currentUser in x\.yml/);
    await wide.close();
  });

  it('says so when the config names no current user', async () => {
    expect(playgroundUser('version: "0.1.1"\ntenantId: t\nusers:\n  - name: A\n')).toBeUndefined();
    expect(await describePlaygroundUser(undefined, demo, 'x.yml')).toMatch(/^x\.yml names no current user/);
  });
});
