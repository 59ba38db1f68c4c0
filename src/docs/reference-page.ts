/**
 * The API reference as one self-contained HTML page: the reference pre-rendered by Redoc at generation time
 * (generated/api-reference.fragment.html, see scripts/generate/reference-markup.ts) — readable before any script
 * runs — then Redoc's standalone bundle, inlined, which hydrates it (search, navigation, samples). System fonts are
 * used, so the page needs no network at all (it works offline and behind firewalls). Redoc's footer always renders
 * an <img> of Redocly's logo from their CDN; the page's Content-Security-Policy forbids any request off the page, so
 * the browser never makes it (Redoc hides the image when it fails).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { REFERENCE_FRAGMENT_PATH } from '../project-paths.js';

const require = createRequire(import.meta.url);

export function readRedocBundle(): string {
  return readFileSync(require.resolve('redoc/bundles/redoc.standalone.js'), 'utf8');
}

export function readReferenceFragment(): string {
  return readFileSync(REFERENCE_FRAGMENT_PATH, 'utf8');
}

/** JSON that is safe inside a <script> element. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const SYSTEM_FONTS = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const MONO_FONTS = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace";

/** Redoc's options, for the pre-rendering and (through the hydration state) the browser alike. */
export const REFERENCE_OPTIONS = {
  theme: { typography: { fontFamily: SYSTEM_FONTS, headings: { fontFamily: SYSTEM_FONTS }, code: { fontFamily: MONO_FONTS } } },
  hideDownloadButton: false,
  expandResponses: '200,201',
};

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'unsafe-inline' blob:",
  "worker-src blob:",
  "style-src 'unsafe-inline'",
  'img-src data: blob:',
  'font-src data:',
  "connect-src 'self'",
].join('; ');

/**
 * `fragment`: the pre-rendered container, its styles and `window.__redoc_state` (renderReferenceFragment);
 * `title`: the page's title (the spec's `info.title`).
 */
export function renderReferencePage(fragment: string, redocBundle: string, title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>${title.replace(/[<>&"]/g, '')}</title>
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
${fragment}
<script>${redocBundle.replace(/<\/script/gi, '<\\/script')}</script>
<script>Redoc.hydrate(window.__redoc_state, document.getElementById('redoc-container'));</script>
</body>
</html>
`;
}

/** The page for `spec`, from the committed pre-rendering and the installed Redoc bundle (read from disk). */
export function buildReferencePage(spec: { info?: { title?: string } }): string {
  return renderReferencePage(readReferenceFragment(), readRedocBundle(), spec.info?.title ?? 'API reference');
}
