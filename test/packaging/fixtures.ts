import { readFileSync } from 'node:fs';
import { projectPath } from '../../src/project-path';
import type { JsonValue } from '../../src/packaging/template';

export const BOT_ID = '0a1b2c3d-1111-4222-8333-444455556666';
export const TEAMS_APP = '9f8e7d6c-aaaa-4bbb-8ccc-ddddeeeeffff';

export function committedTemplate(): JsonValue {
  return JSON.parse(readFileSync(projectPath('manifest', 'manifest.template.json'), 'utf8')) as JsonValue;
}

/** The committed template's development Teams app id, read from its placeholder default. */
export function developmentAppId(): string {
  const text = readFileSync(projectPath('manifest', 'manifest.template.json'), 'utf8');
  const match = /"\{\{TEAMS_APP_ID:([0-9a-f-]+)\}\}"/i.exec(text);
  if (!match?.[1]) throw new Error('the template has no development TEAMS_APP_ID default');
  return match[1];
}
