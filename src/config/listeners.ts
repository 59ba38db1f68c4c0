/** The proxy's own listeners (`listeners`): `http://host:port` or `https://host:port`, comma-separated. */
import { InvalidValue, listOf } from './parsers.js';
import type { Parser } from './parsers.js';

export interface Listener {
  readonly protocol: 'http' | 'https';
  readonly host: string;
  readonly port: number;
}

export function parseListener(text: string): Listener {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new InvalidValue(`listener '${text}' is not a URL like http://0.0.0.0:8082`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidValue(`listener '${text}': only http:// and https:// listeners are supported`);
  const protocol = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port === '' ? (protocol === 'https' ? 443 : 80) : Number(url.port);
  return { protocol, host: url.hostname.replace(/^\[|\]$/g, ''), port };
}

const listenerList = listOf({ allowed: 'a listener URL', parse: parseListener }, 'comma-separated http:// or https:// URLs');

export const listenersParser: Parser<Listener[]> = {
  allowed: listenerList.allowed,
  parse: (value) => {
    const listeners = listenerList.parse(value);
    if (listeners.length === 0) throw new InvalidValue('must name at least one listener');
    return listeners;
  },
};

/** How a listener is named in messages: `http://0.0.0.0:8082`. */
export function listenerUrl(listener: Listener): string {
  const host = listener.host.includes(':') ? `[${listener.host}]` : listener.host;
  return `${listener.protocol}://${host}:${listener.port}`;
}
