/**
 * Absolute URLs for `self`/`related` links and `base_uri`: from the first advertised listener when one is
 * configured, otherwise from the request's own scheme and Host (what a client reached us by).
 */
export class LinkBuilder {
  constructor(private readonly base: string) {}

  static forRequest(advertised: readonly string[], protocol: string, host: string | undefined): LinkBuilder {
    const configured = advertised[0];
    if (configured) return new LinkBuilder(configured);
    return new LinkBuilder(`${protocol}://${host || 'localhost'}`);
  }

  /** `url('v3', 'clusters', id)` → `<base>/v3/clusters/<id>`, each segment percent-encoded. */
  url(...segments: readonly string[]): string {
    return segments.length === 0 ? this.base : `${this.base}/${segments.map(encodeURIComponent).join('/')}`;
  }
}
