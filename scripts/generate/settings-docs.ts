/**
 * The settings tables of docs/configuration.md (every setting) and README.md (the few most needed), rendered from
 * the settings table in src/config/settings.ts between two marker comments, so the docs cannot drift from it.
 */
import { allowedNote } from '../../src/config/setting-text.js';
import { SETTINGS } from '../../src/config/settings.js';
import type { Setting, SettingKey } from '../../src/config/settings.js';
import { propertyToEnvKey } from '../../src/config/sources.js';

const BEGIN = '<!-- settings table: generated from src/config/settings.ts by `npm run generate`; edit it there -->';
const END = '<!-- end of settings table -->';

/** The README's short table. */
const README_KEYS: readonly SettingKey[] = [
  'bootstrap.servers',
  'listeners',
  'advertised.listeners',
  'auth.file',
  'client.security.protocol',
  'log.level',
  'log.format',
  'request.max.bytes',
  'produce.ack.timeout.ms',
  'consumer.instances.max',
  'config.file',
];

const cell = (text: string): string => text.replace(/\|/g, '\\|');

function defaultCell(setting: Setting): string {
  if (setting.defaultText !== undefined) return cell(setting.defaultText);
  return setting.default === '' ? '*(none)*' : `\`${setting.default}\``;
}

function table(keys: readonly SettingKey[], withDetails: boolean): string {
  const rows = keys.map((key) => {
    const setting = SETTINGS[key] as Setting;
    const meaning = `${setting.doc}${allowedNote(setting)}${withDetails && setting.details ? ` ${setting.details}` : ''}`;
    return `| \`${key}\` | \`${propertyToEnvKey(key)}\` | ${defaultCell(setting)} | ${cell(meaning)} |`;
  });
  return ['| Property | Environment | Default | Meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** `document` with the text between the markers replaced by the table; throws when the markers are missing. */
function withTable(document: string, rendered: string, name: string): string {
  const start = document.indexOf(BEGIN);
  const end = document.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${name} has no settings table markers (${BEGIN} … ${END})`);
  return `${document.slice(0, start + BEGIN.length)}\n${rendered}\n${document.slice(end)}`;
}

export function configurationDoc(document: string): string {
  return withTable(document, table(Object.keys(SETTINGS) as SettingKey[], true), 'docs/configuration.md');
}

export function readmeDoc(document: string): string {
  return withTable(document, table(README_KEYS, false), 'README.md');
}
