import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { checkDocument, type DirectoryDocument, type DocumentIssue } from '../domain/directory-document';
import { projectPath } from '../project-path';

/** A directory file that cannot be used. Lists every mistake, each with its JSON path. */
export class DirectoryFileError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly DocumentIssue[],
  ) {
    super(
      `The directory file ${source} has ${issues.length} mistake${issues.length === 1 ? '' : 's'}:\n` +
        issues.map((i) => `  ${i.path}: ${i.message}`).join('\n'),
    );
    this.name = 'DirectoryFileError';
  }
}

const schema = JSON.parse(readFileSync(projectPath('schema', 'directory.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true, strict: true }).compile<DirectoryDocument>(schema);

/** `/accounts/3/parentId` -> `$.accounts[3].parentId` */
function jsonPath(pointer: string): string {
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
      .join('')
  );
}

function describe(error: ErrorObject): DocumentIssue {
  const at = jsonPath(error.instancePath);
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: at, message: `missing required property "${String(p.missingProperty)}"` };
    case 'additionalProperties':
      return { path: `${at}.${String(p.additionalProperty)}`, message: 'unknown property' };
    case 'type':
      return { path: at, message: `must be of type ${String(p.type).replace(',', ' or ')}` };
    case 'enum':
      return { path: at, message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'pattern':
      return { path: at, message: `has an invalid format (expected to match ${String(p.pattern)})` };
    default:
      return { path: at, message: error.message ?? `fails the ${error.keyword} rule` };
  }
}

/** Parses and fully validates directory file text. Throws DirectoryFileError listing every mistake. */
export function parseDirectoryDocument(text: string, source: string): DirectoryDocument {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DirectoryFileError(source, [{ path: '$', message: `not valid JSON (${(err as Error).message})` }]);
  }
  if (!validate(data)) {
    throw new DirectoryFileError(source, (validate.errors ?? []).map(describe));
  }
  const issues = checkDocument(data);
  if (issues.length > 0) throw new DirectoryFileError(source, issues);
  return data;
}

export function readDirectoryFile(file: string): DirectoryDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    throw new DirectoryFileError(path.relative(process.cwd(), file) || file, [{ path: '$', message: reason }]);
  }
  return parseDirectoryDocument(text, file);
}
