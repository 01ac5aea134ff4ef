/** Makes a `switch` over a union exhaustive: adding a `kind` without handling it is a type error. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
