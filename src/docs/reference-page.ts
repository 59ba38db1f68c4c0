/**
 * The API reference as one self-contained HTML page: Redoc's standalone bundle and the spec are inlined, and
 * system fonts are used, so the page needs no network at all (it works offline and behind firewalls).
 * Redoc's footer always renders an <img> of Redocly's logo from their CDN; the page's Content-Security-Policy
 * forbids any request off the page, so the browser never makes it (Redoc hides the image when it fails).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function readRedocBundle(): string {
  return readFileSync(require.resolve('redoc/bundles/redoc.standalone.js'), 'utf8');
}

/** JSON that is safe inside a <script> element. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const SYSTEM_FONTS = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const MONO_FONTS = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'unsafe-inline' blob:",
  "worker-src blob:",
  "style-src 'unsafe-inline'",
  'img-src data: blob:',
  'font-src data:',
  "connect-src 'self'",
].join('; ');

export function renderReferencePage(spec: { info?: { title?: string } }, redocBundle: string): string {
  const title = (spec.info?.title ?? 'API reference').replace(/[<>&"]/g, '');
  const options = {
    theme: { typography: { fontFamily: SYSTEM_FONTS, headings: { fontFamily: SYSTEM_FONTS }, code: { fontFamily: MONO_FONTS } } },
    hideDownloadButton: false,
    expandResponses: '200,201',
  };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<title>${title}</title>
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
<div id="redoc-container"></div>
<script>${redocBundle.replace(/<\/script/gi, '<\\/script')}</script>
<script>Redoc.init(${scriptSafeJson(spec)}, ${scriptSafeJson(options)}, document.getElementById('redoc-container'));</script>
</body>
</html>
`;
}
