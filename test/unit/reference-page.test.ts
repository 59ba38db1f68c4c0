import { describe, expect, it } from 'vitest';
import { renderReferencePage } from '../../src/docs/reference-page.js';

describe('the API reference page', () => {
  it('places the pre-rendered reference before the bundle, and keeps the bundle inside its script element', () => {
    const html = renderReferencePage('<div id="redoc-container">Produce records</div>', 'window.Redoc = { s: "</script><b>" };', 'T</script><b>');
    expect(html).toContain('<title>T/scriptb</title>');
    expect(html).not.toContain('</script><b>');
    expect(html).toContain('<\\/script><b>');
    expect(html.indexOf('Produce records')).toBeLessThan(html.indexOf('window.Redoc'));
    expect(html).toContain("Redoc.hydrate(window.__redoc_state, document.getElementById('redoc-container'))");
  });
});
