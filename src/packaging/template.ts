import { PackagingError } from './packaging-error';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * Fills a JSON template. A placeholder is a whole string value `"{{NAME}}"` or
 * `"{{NAME:default}}"`, replaced by any JSON value (so arrays such as validDomains can be
 * computed). Whole values only: no string interpolation, so a placeholder cannot smuggle JSON
 * syntax into the manifest. A placeholder without a value or default, and a value no
 * placeholder uses, are errors: both are almost always a typo.
 */
const PLACEHOLDER = /^\{\{([A-Za-z][A-Za-z0-9_]*)(?::([^{}]*))?\}\}$/;

export function fillTemplate(template: JsonValue, values: Readonly<Record<string, JsonValue | undefined>>): JsonValue {
  const problems: string[] = [];
  const used = new Set<string>();

  const fill = (node: JsonValue, where: string): JsonValue => {
    if (typeof node === 'string') {
      const match = PLACEHOLDER.exec(node);
      if (!match) {
        if (node.includes('{{')) problems.push(`${where}: "${node}" looks like a placeholder but is not one (write "{{NAME}}" or "{{NAME:default}}" as the whole value)`);
        return node;
      }
      const [, name = '', fallback] = match;
      used.add(name);
      const value = values[name] ?? fallback;
      if (value === undefined) problems.push(`${where}: no value for {{${name}}}`);
      return value ?? node;
    }
    if (Array.isArray(node)) return node.map((item, i) => fill(item, `${where}[${i}]`));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, fill(item, `${where}.${key}`)]));
    }
    return node;
  };

  const filled = fill(template, '$');
  for (const name of Object.keys(values)) {
    if (!used.has(name)) problems.push(`the template has no {{${name}}} placeholder`);
  }
  if (problems.length > 0) throw new PackagingError('manifest/manifest.template.json does not fit the settings', problems);
  return filled;
}

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
