/**
 * A setting, template or icon that stops the app package from being built. Carries every problem
 * found, so one run of `npm run package` reports them all; the CLI prints them without a stack.
 */
export class PackagingError extends Error {
  constructor(
    readonly summary: string,
    readonly problems: readonly string[],
  ) {
    super(`${summary}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PackagingError';
  }
}
