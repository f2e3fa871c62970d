import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DirectoryDocument } from '../../src/domain/directory-document';
import { DirectoryFileError, parseDirectoryDocument, readDirectoryFile } from '../../src/directory/directory-file';
import { admin, ALEX, DEMO_FILE, OFFERS, tempDir, writeDirectory } from '../support/directories';

const VALID: DirectoryDocument = {
  offers: OFFERS,
  accounts: [
    { id: 'p', name: 'Partner', parentId: null, kind: 'partner', enabledOffers: ['C2TU1'] },
    { id: 'c', name: 'Customer', parentId: 'p', subscriptions: [{ sku: 'C2TU1', quantity: 3, assigned: 1 }] },
  ],
  admins: [admin(ALEX, [['p', ['AccountOwner']]])],
};

/** A deep copy of VALID as plain JSON, to break in ways the types would not allow. */
const raw = (): Record<string, any> => JSON.parse(JSON.stringify(VALID));

function errorOf(fn: () => unknown): DirectoryFileError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DirectoryFileError);
    return err as DirectoryFileError;
  }
  throw new Error('expected a DirectoryFileError');
}
const parseError = (data: unknown): DirectoryFileError => errorOf(() => parseDirectoryDocument(JSON.stringify(data), 'test.json'));

describe('parseDirectoryDocument', () => {
  it('returns a valid document as it is', () => {
    expect(parseDirectoryDocument(JSON.stringify(VALID), 'ok.json')).toEqual(VALID);
  });

  it('accepts a $schema property', () => {
    expect(() => parseDirectoryDocument(JSON.stringify({ $schema: './schema/directory.schema.json', ...VALID }), 'ok.json')).not.toThrow();
  });

  it('reports invalid JSON at $', () => {
    const err = errorOf(() => parseDirectoryDocument('{ "offers": [', 'broken.json'));
    expect(err.issues).toEqual([{ path: '$', message: expect.stringContaining('not valid JSON') }]);
    expect(err.source).toBe('broken.json');
    expect(err.name).toBe('DirectoryFileError');
    expect(err.message).toContain('broken.json');
    expect(err.message).toContain('1 mistake:');
    expect(err.message).toContain('$: not valid JSON');
  });

  it('reports an empty file as invalid JSON', () => {
    expect(errorOf(() => parseDirectoryDocument('', 'empty.json')).issues[0]!.message).toContain('not valid JSON');
  });

  it('reports a document that is not an object', () => {
    const err = parseError([1, 2]);
    expect(err.issues).toEqual([{ path: '$', message: 'must be of type object' }]);
  });

  it('reports a missing required property where it is missing', () => {
    const data = raw();
    delete data.accounts[1].name;
    const err = parseError(data);
    expect(err.issues).toEqual([{ path: '$.accounts[1]', message: 'missing required property "name"' }]);
    expect(err.message).toContain('$.accounts[1]: missing required property "name"');
  });

  it('reports a missing top-level list', () => {
    const data = raw();
    delete data.admins;
    expect(parseError(data).issues).toEqual([{ path: '$', message: 'missing required property "admins"' }]);
  });

  it('reports a value of the wrong type', () => {
    const data = raw();
    data.accounts[1].subscriptions[0].quantity = '3';
    expect(parseError(data).issues).toEqual([{ path: '$.accounts[1].subscriptions[0].quantity', message: 'must be of type integer' }]);
  });

  it('names both allowed types of a nullable property', () => {
    const data = raw();
    data.accounts[1].parentId = 7;
    expect(parseError(data).issues).toEqual([{ path: '$.accounts[1].parentId', message: 'must be of type string or null' }]);
  });

  it('reports an unknown property at its own path', () => {
    const data = raw();
    data.accounts[0].colour = 'blue';
    const err = parseError(data);
    expect(err.issues).toEqual([{ path: '$.accounts[0].colour', message: 'unknown property' }]);
    expect(err.message).toContain('$.accounts[0].colour: unknown property');
  });

  it('reports an unknown top-level property', () => {
    expect(parseError({ ...raw(), extra: true }).issues).toEqual([{ path: '$.extra', message: 'unknown property' }]);
  });

  it('reports a kind outside the list, naming the allowed ones', () => {
    const data = raw();
    data.accounts[1].kind = 'enterprise';
    const err = parseError(data);
    expect(err.issues).toEqual([{ path: '$.accounts[1].kind', message: expect.stringContaining('must be one of') }]);
    for (const kind of ['partner', 'reseller', 'customer', 'internal']) expect(err.issues[0]!.message).toContain(`"${kind}"`);
  });

  it('reports a badly formatted value', () => {
    const data = raw();
    data.offers[0].currency = 'pounds';
    expect(parseError(data).issues).toEqual([{ path: '$.offers[0].currency', message: expect.stringContaining('invalid format') }]);
  });

  it('reports several schema mistakes at once', () => {
    const data = raw();
    delete data.accounts[0].name;
    data.accounts[1].kind = 'enterprise';
    data.admins[0].nickname = 'Al';
    data.offers[1].trial = 'no';
    const err = parseError(data);
    expect(err.issues.map((i) => i.path).sort()).toEqual(['$.accounts[0]', '$.accounts[1].kind', '$.admins[0].nickname', '$.offers[1].trial']);
    expect(err.message).toContain('4 mistakes:');
    for (const issue of err.issues) expect(err.message).toContain(`${issue.path}: ${issue.message}`);
  });

  it('reports reference mistakes (beyond the schema) with their paths', () => {
    const data = raw();
    data.accounts[1].parentId = 'ghost';
    data.admins[0].memberships[0].roles = ['Overlord'];
    const err = parseError(data);
    expect(err.issues).toEqual([
      { path: '$.accounts[1].parentId', message: 'unknown parent account "ghost"' },
      { path: '$.admins[0].memberships[0].roles[0]', message: 'unknown role "Overlord"' },
    ]);
    expect(err.message).toContain('2 mistakes:');
  });
});

describe('readDirectoryFile', () => {
  it('reads a valid file', () => {
    expect(readDirectoryFile(writeDirectory(VALID))).toEqual(VALID);
  });

  it('reports a missing file', () => {
    const file = path.join(tempDir(), 'nope.json');
    const err = errorOf(() => readDirectoryFile(file));
    expect(err.issues).toEqual([{ path: '$', message: 'file not found' }]);
    expect(err.message).toContain('nope.json');
    expect(err.message).toContain('file not found');
  });

  it('names the file in the error', () => {
    const file = path.join(tempDir(), 'bad.json');
    writeFileSync(file, '{"offers": []}');
    const err = errorOf(() => readDirectoryFile(file));
    expect(err.source).toBe(file);
    expect(err.message).toContain(file);
    expect(err.issues.map((i) => i.message).sort()).toEqual(['missing required property "accounts"', 'missing required property "admins"']);
  });

  describe('the demo directory', () => {
    const demo = readDirectoryFile(DEMO_FILE);

    it('loads, with 38 accounts', () => {
      expect(demo.accounts).toHaveLength(38);
    });

    it('has the Agents Playground users as admins, and two partner trees', () => {
      expect(demo.admins.map((a) => a.name)).toEqual(expect.arrayContaining(['Alex Wilber', 'Megan Bowen', 'Adele Vance', 'Isaiah Langer', 'Patti Fernandez', 'Lynne Robbins']));
      expect(demo.accounts.filter((a) => a.parentId === null).map((a) => a.id).sort()).toEqual(['contoso', 'northwind']);
    });
  });
});
