const BRAND: unique symbol = Symbol.for('layerlens.CliError');

/** An error the CLI prints as one line (no stack) before exiting with `exitCode`. */
export class CliError extends Error {
  readonly [BRAND] = true;

  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }

  /**
   * `instanceof CliError` also holds for CliErrors from another copy of this class: the CLI's
   * dispatcher and each lazily loaded command bundle have their own. Subclasses test as usual.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== CliError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && BRAND in value;
  }
}
