/**
 * Tells when an import completed, from the catalogue's ETag: an import writes the catalogue last
 * (whenever it changed anything), and every write gives an item a new ETag. Whatever was cached
 * under an older ETag may mix two imports, so a new one drops the caches at once and every view
 * of an account moves to the new import together.
 *
 * Reads of the catalogue can overlap: one sent before the import completed may answer after one
 * sent later. Each read takes a stamp before it is sent; an answer whose stamp is older than the
 * last change seen is ignored (and must not be cached), so an old ETag never comes back.
 */
export class ImportWatch {
  /** The catalogue's ETag as last seen (undefined: no catalogue), or nothing known yet. */
  private seen: { readonly etag: string | undefined } | undefined;
  private generation = 0;

  constructor(private readonly onNewImport: () => void) {}

  /** To take before reading the catalogue, and hand to observe() with its answer. */
  get stamp(): number {
    return this.generation;
  }

  /**
   * Notes the ETag a catalogue read found (undefined when there is no catalogue). Returns false
   * when a newer answer was noted since the read was sent: that read is out of date.
   */
  observe(etag: string | undefined, stamp: number): boolean {
    if (stamp !== this.generation) return false;
    if (this.seen && this.seen.etag === etag) return true;
    this.seen = { etag };
    this.changed();
    return true;
  }

  /** A check could not be made: nothing proves the caches current any more. */
  unconfirmed(): void {
    this.seen = undefined;
    this.changed();
  }

  private changed(): void {
    this.generation++;
    this.onNewImport();
  }
}
