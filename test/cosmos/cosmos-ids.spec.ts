import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ACCOUNT_ID_PATTERN, compositeId, itemIdFor } from '../../src/directory/cosmos/cosmos-ids';
import { childKeyOf } from '../../src/directory/cosmos/documents';
import { compareNames } from '../../src/domain/name-order';
import { projectPath } from '../../src/project-path';

/** Cosmos item ids made from keys and references that come from outside. */
const FORBIDDEN = /[/\\?#%\s]/;

describe('item ids', () => {
  it('are valid for any key: no forbidden character, at most 255 characters, never blank', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (key) => {
        const id = itemIdFor(key);
        expect(id).not.toMatch(FORBIDDEN);
        expect(id.length).toBeGreaterThan(0);
        expect(id.length).toBeLessThanOrEqual(255);
        expect(id).not.toMatch(/^\.+$/);
      }),
    );
  });

  it('keep distinct keys apart, however alike', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), (a, b) => {
        fc.pre(a !== b);
        expect(itemIdFor(a)).not.toBe(itemIdFor(b));
      }),
    );
    expect(new Set(['a/b', 'a*002fb', 'a%2Fb', 'a~b', 'h~a', '.', '..', '', ' '].map(itemIdFor)).size).toBe(9);
  });

  it('keep composite ids apart whatever the parts hold', () => {
    expect(compositeId('audit', 'a~b', 'c')).not.toBe(compositeId('audit', 'a', 'b~c'));
    expect(compositeId('audit', 'x', 'y'.repeat(400))).toHaveLength(66);
  });

  it('accept as account ids exactly what the directory file schema accepts', () => {
    const schema = JSON.parse(readFileSync(projectPath('schema', 'directory.schema.json'), 'utf8')) as { properties: { accounts: { items: { properties: { id: { pattern: string } } } } } };
    expect(ACCOUNT_ID_PATTERN.source).toBe(schema.properties.accounts.items.properties.id.pattern);
  });
});

describe('the children sort key', () => {
  it('orders accounts as the embedded directory does: name sort key, then id', () => {
    // Digits (natural order) and control characters (blanked in the key) included.
    const name = fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.nat({ max: 3000 }).map(String), fc.constantFrom('\u0000', '\u0001', '\u001f', '0', '00')), { maxLength: 5 }).map((p) => p.join(''));
    const id = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,6}$/);
    fc.assert(
      fc.property(name, id, name, id, (nameA, idA, nameB, idB) => {
        const byKey = Math.sign(childKeyOf(nameA, idA) < childKeyOf(nameB, idB) ? -1 : childKeyOf(nameA, idA) > childKeyOf(nameB, idB) ? 1 : 0);
        const embedded = Math.sign(compareNames(nameA, nameB) || (idA < idB ? -1 : idA > idB ? 1 : 0));
        expect(byKey).toBe(embedded);
      }),
    );
  });
});
