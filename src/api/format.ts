// Shared output formatting of the read API.

export function isoOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString()
}

/** Integer millionths back to a decimal amount. */
export function fromMicros(micros: number): number {
  return micros / 1_000_000
}
