/** How a setting's default and accepted values are shown, the same way by `--help` and the generated docs. */
import type { Setting } from './settings.js';

/** The default as a person reads it: its words when it has some, `(none)` when empty. */
export function shownDefault(setting: Setting): string {
  return setting.defaultText ?? (setting.default === '' ? '(none)' : setting.default);
}

const SELF_EVIDENT = ['any text', 'a file path', 'a password', 'a positive integer'];

/** ` Allowed: …` when what the parser accepts is neither self-evident nor already said by the one-line meaning. */
export function allowedNote(setting: Setting): string {
  const { allowed } = setting.parser;
  return SELF_EVIDENT.includes(allowed) || setting.doc.includes(allowed) ? '' : ` Allowed: ${allowed}.`;
}
