/**
 * The API reference rendered on the server, as `redocly build-docs` does it: Redoc's React tree rendered to HTML with
 * its styled-components CSS, and the store's state for `Redoc.hydrate` to take over in the browser. The page is
 * readable before any script runs; once Redoc's bundle has run, search and navigation work as usual.
 *
 * Written to generated/api-reference.fragment.html by `npm run generate` (and checked by `--check`): rendering the
 * ~100 operations takes a second or two of CPU, which no request of the server should wait for.
 */
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import redoc from 'redoc';
import { ServerStyleSheet } from 'styled-components';
import { REFERENCE_OPTIONS, scriptSafeJson } from '../../src/docs/reference-page.js';

/** The container's markup, its CSS, and the hydration state, ready to place in the page's body. */
export async function renderReferenceFragment(spec: object): Promise<string> {
  const store = await redoc.createStore(spec, undefined, REFERENCE_OPTIONS);
  const sheet = new ServerStyleSheet();
  try {
    const markup = renderToString(sheet.collectStyles(createElement(redoc.Redoc, { store })));
    const state = await store.toJS();
    return [
      sheet.getStyleTags(),
      `<div id="redoc-container">${markup}</div>`,
      `<script>window.__redoc_state = ${scriptSafeJson(state)};</script>`,
      '',
    ].join('\n');
  } finally {
    sheet.seal();
  }
}
