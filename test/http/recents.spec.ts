import { rmSync } from 'node:fs';
import path from 'node:path';
import type { AccountRecord, DirectoryDocument } from '../../src/domain/directory-document';
import { SNAPSHOT_FILE } from '../../src/directory/embedded/embedded-directory';
import { ALEX, MEGAN, OFFERS, admin, tempDir, writeDirectory } from '../support/directories';
import { CARD_MODES, BotClient, actionsOf, clickVerb, textOf, verbOf, type Card } from '../support/bot-client';

/**
 * The admin's recently visited accounts, first in the switch picker and in find: kept with their
 * position (file state store, across a restart), re-authorized whenever they are shown.
 */
const HOSTILE = '_Hostile_ **<i>name</i>** [link](https://evil.example)';
function directory(change: 'before' | 'after'): DirectoryDocument {
  const accounts: AccountRecord[] = [
    { id: 'q', name: 'Other Partner', parentId: null, kind: 'partner' },
    { id: 'q1', name: 'Acme Q', parentId: 'q', kind: 'customer' },
    { id: 'p', name: 'Partner', parentId: null, kind: 'partner' },
    { id: 'h', name: HOSTILE, parentId: 'p', kind: 'customer' },
    { id: 'far', name: 'Someone Else', parentId: null, kind: 'partner' },
  ];
  for (let i = 1; i <= 12; i++) accounts.push({ id: `a${i}`, name: `Acme ${i}`, parentId: 'p', kind: 'customer' });
  if (change === 'after') {
    // a3 is deleted, a2 moves to a tree Alex does not administer, and Alex loses his membership on q.
    accounts.splice(accounts.findIndex((a) => a.id === 'a3'), 1);
    accounts[accounts.findIndex((a) => a.id === 'a2')] = { id: 'a2', name: 'Acme 2', parentId: 'far', kind: 'customer' };
  }
  const alexRoots: [string, ['AccountOwner']][] = change === 'before' ? [['q', ['AccountOwner']], ['p', ['AccountOwner']]] : [['p', ['AccountOwner']]];
  return { offers: OFFERS, accounts, admins: [admin(ALEX, alexRoots, 'Alex Wilber'), admin(MEGAN, [['p', ['AccountOwner']]], 'Megan Bowen')] };
}

/** The accounts a card's "open" rows go to, in order. */
const opens = (card: Card): string[] => actionsOf(card).filter((a) => verbOf(a) === 'open').map((a) => a.data.accountId);
const pickerValues = (card: Card): string[] => card.body.find((b: Card) => b.type === 'Input.ChoiceSet').choices.map((c: Card) => c.value);

describe.each(CARD_MODES)('recently visited accounts (%s buttons)', (mode) => {
  const alex = { aadObjectId: ALEX };
  const megan = { aadObjectId: MEGAN };

  it('come first in the switch picker and in find, five at most, newest first, kept across a restart and re-authorized', async () => {
    const dataDir = tempDir();
    const first = await BotClient.start({ DATA_DIR: dataDir, DIRECTORY_FILE: writeDirectory(directory('before')) }, mode);
    let second: BotClient | undefined;
    try {
      for (const id of ['a1', 'a2', 'a3', 'h', 'q1', 'a5', 'a6']) expect(textOf((await first.say(alex, `open ${id}`))[0]!)).toContain(`Account id: ${id}`);

      const [picker] = await first.say(alex, 'switch');
      // The five before the one he is on (a6); a1 has dropped off. Names exactly as stored.
      expect(opens(picker!)).toEqual(['a5', 'q1', 'h', 'a3', 'a2']);
      expect(textOf(picker!)).toContain('Recently visited');
      expect(textOf(picker!)).toContain(HOSTILE);
      // His memberships are q, then p; p holds what he visited last.
      expect(pickerValues(picker!)).toEqual(['p', 'q']);
      const there = await clickVerb(first, alex, picker!, 'open', { accountId: 'q1' });
      expect(textOf(there)).toContain('Account id: q1');

      const [found] = await first.say(alex, 'find acme');
      expect(opens(found!).slice(0, 5)).toEqual(['q1', 'a6', 'a5', 'a3', 'a2']);
      expect(textOf(found!).match(/Recently visited · /g)).toHaveLength(5);
      // Then the other matches in their usual order, each once.
      expect(opens(found!).slice(5)).toEqual(['a1', 'a4', 'a7', 'a8', 'a9']);

      // A recent account comes first only when search itself would find it (at a word start).
      const [inside] = await first.say(alex, 'find cme');
      expect(textOf(inside!)).not.toContain('Recently visited');

      // Kept per admin: Megan, in the same conversation, has visited nothing.
      const [hers] = await first.say(megan, 'switch');
      expect(opens(hers!)).toEqual([]);
      expect(textOf(hers!)).not.toContain('Recently visited');

      await first.close();
      rmSync(path.join(dataDir, SNAPSHOT_FILE));
      second = (await BotClient.start({ DATA_DIR: dataDir, DIRECTORY_FILE: writeDirectory(directory('after')) }, mode)).inConversation(first.conversationId);
      // He stood on q1, which is no longer his: he starts at home, and nothing he lost is offered.
      const [after] = await second.say(alex, 'switch');
      expect(opens(after!)).toEqual(['a6', 'a5', 'h']);
      expect(textOf(after!)).not.toMatch(/Acme Q|Acme 2|Acme 3/);
      const [foundAfter] = await second.say(alex, 'find acme');
      expect(opens(foundAfter!).slice(0, 2)).toEqual(['a6', 'a5']);
      expect(opens(foundAfter!)).not.toEqual(expect.arrayContaining(['q1']));
      expect(opens(foundAfter!)).not.toEqual(expect.arrayContaining(['a2']));
      expect(textOf(foundAfter!).match(/Recently visited · /g)).toHaveLength(2);
    } finally {
      await (second ?? first).close().catch(() => undefined);
    }
  });
});
