// Small statistics helpers.

export interface Percentiles {
  n: number
  mean: number
  p50: number
  p95: number
  p99: number
  max: number
}

export function percentiles(samples: ArrayLike<number>): Percentiles {
  const sorted = Float64Array.from(samples).sort()
  const at = (q: number) =>
    sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!
  let sum = 0
  for (const x of sorted) sum += x
  return {
    n: sorted.length,
    mean: sorted.length === 0 ? NaN : sum / sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted.length === 0 ? NaN : sorted[sorted.length - 1]!,
  }
}

export function median(values: number[]): number {
  return percentiles(values).p50
}
