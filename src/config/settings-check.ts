/**
 * Keys no setting has: each is reported once per source that holds it. A near miss of a known setting is a warning
 * that names the setting meant ("unknown setting KAFKA_REST_LISTENRS (environment) — did you mean listeners?");
 * one of Confluent's settings this proxy knowingly does not use is said once at info, with why.
 */
import { distance } from 'fastest-levenshtein';
import { ignoredConfluentSetting } from './confluent-ignored.js';
import type { SettingsLayer } from './sources.js';

export interface SettingsNotice {
  readonly level: 'warn' | 'info';
  readonly message: string;
}

/** The closest known key, when it is close enough to be what was meant. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  const wanted = key.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(wanted.length / 4)));
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const d = distance(wanted, candidate);
    if (d <= limit && (best === undefined || d < best.distance)) best = { key: candidate, distance: d };
  }
  return best?.key;
}

function noticeFor(key: string, layer: SettingsLayer, known: readonly string[]): SettingsNotice {
  const where = `${layer.spelled[key] ?? key} (${layer.source})`;
  const ignored = ignoredConfluentSetting(key);
  const exact = ignored?.key === key;
  const meant = exact ? undefined : nearestKey(key, known);
  if (meant !== undefined) return { level: 'warn', message: `unknown setting ${where} — did you mean ${meant}?` };
  if (ignored) return { level: 'info', message: `ignoring Confluent setting ${where}: ${ignored.why}` };
  return { level: 'warn', message: `unknown setting ${where}, ignored (kafka-rest-ts --help lists the settings)` };
}

export function checkKeys(layers: readonly SettingsLayer[], known: readonly string[]): SettingsNotice[] {
  const knownSet = new Set(known);
  return layers.flatMap((layer) => Object.keys(layer.values).filter((key) => !knownSet.has(key)).map((key) => noticeFor(key, layer, known)));
}
