import { describe, expect, it } from 'vitest';
import { renderReferencePage } from '../../src/docs/reference-page.js';

describe('the API reference page', () => {
  it('inlines the spec safely inside a script element', () => {
    const html = renderReferencePage({ info: { title: 'T</script><b>' } }, 'window.Redoc = {};');
    expect(html).toContain('<title>T/scriptb</title>');
    expect(html).not.toContain('</script><b>');
    expect(html).toContain('\\u003c/script>');
  });
});
