// One failure mapping for both stores. A database error is classified once, where it leaves the store:
//   - transient (the dialect's `isTransient`: database down, lock held past its timeout, disk full…) →
//     `store_unavailable` (503, Retry-After), which clients retry;
//   - a TbError (a domain error, constraint violations included, raised by the store itself) → as it is;
//   - anything else → as it is: the server's error handler logs it and answers 500 (http-errors.ts);
//   - a PartialCommit (some of a group commit's transactions failed) → each failure mapped as above.
// `reportingFailures` applies it to every method of a store, to its sub-stores (store.ts SUB_STORES) and to the
// async iterables its methods return (errors thrown while iterating), so a new method is covered as soon as
// it exists. The group committer refuses with `store_unavailable` too.
import { TbError } from '../errors.js'
import { PartialCommit } from './partial-commit.js'

/** Seconds a client is asked to wait (Retry-After) before trying again. */
const RETRY_AFTER_SECONDS = 5

export function storeUnavailable(cause?: unknown): TbError {
  const error = new TbError('store_unavailable', undefined, RETRY_AFTER_SECONDS)
  return cause === undefined ? error : Object.assign(error, { cause })
}

export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof TbError && error.code === 'store_unavailable'
}

/** A dialect's classifier: true when the error means "try again later" (sqlite/ and postgres/unavailable.ts). */
export type TransientTest = (error: unknown) => boolean

/** The error a store reports for `error`: `store_unavailable` when transient, otherwise the error itself. */
export function storeError(error: unknown, isTransient: TransientTest): unknown {
  if (error instanceof PartialCommit) return error.mapErrors((e) => storeError(e, isTransient))
  if (error instanceof TbError || !isTransient(error)) return error
  return storeUnavailable(error)
}

/** Marks the functions `reportingFailures` made, so tests can check that every method is covered. */
const MAPPED = Symbol('tractionboard.storeErrorsMapped')

export function isMapped(method: unknown): boolean {
  return typeof method === 'function' && (method as { [MAPPED]?: true })[MAPPED] === true
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  )
}

async function* mappedIterable<T>(iterable: AsyncIterable<T>, isTransient: TransientTest): AsyncGenerator<T> {
  try {
    // yield* forwards return() too: a consumer stopping early still closes the store's iterator.
    yield* iterable
  } catch (error) {
    throw storeError(error, isTransient)
  }
}

/** Every function-valued property of `target` and its prototypes (not Object.prototype's), by name. */
function methodNames(target: object): Set<string | symbol> {
  const names = new Set<string | symbol>()
  for (let o: object | null = target; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Reflect.ownKeys(o)) {
      if (name === 'constructor') continue
      const descriptor = Object.getOwnPropertyDescriptor(o, name)
      if (descriptor !== undefined && typeof descriptor.value === 'function') names.add(name)
    }
  }
  return names
}

/**
 * `target` seen through the failure mapping: an object whose prototype is `target` (so fields, `kind` and
 * `instanceof` read through), with each method replaced once, here, by one that calls the original on
 * `target` and maps what it throws, rejects with or throws while iterating. Nothing is allocated per call
 * but the promise the mapping hangs on; `subObjects` (the sub-stores) are wrapped the same way.
 */
export function reportingFailures<T extends object>(
  target: T,
  isTransient: TransientTest,
  subObjects: readonly (keyof T)[] = [],
): T {
  const wrapper = Object.create(target) as T
  const rethrow = (error: unknown): never => {
    throw storeError(error, isTransient)
  }
  for (const name of methodNames(target)) {
    const method = (target as Record<string | symbol, unknown>)[name] as (...args: unknown[]) => unknown
    const mapped = function (this: unknown, ...args: unknown[]): unknown {
      let result: unknown
      try {
        result = method.apply(target, args)
      } catch (error) {
        return rethrow(error)
      }
      if (result instanceof Promise) return result.then(undefined, rethrow)
      if (isAsyncIterable(result)) return mappedIterable(result, isTransient)
      return result
    }
    Object.defineProperty(mapped, MAPPED, { value: true })
    Object.defineProperty(mapped, 'name', { value: typeof name === 'string' ? name : mapped.name })
    Object.defineProperty(wrapper, name, { value: mapped, writable: true, configurable: true })
  }
  for (const key of subObjects) {
    const sub = target[key]
    if (typeof sub === 'object' && sub !== null) {
      Object.defineProperty(wrapper, key, {
        value: reportingFailures(sub, isTransient),
        enumerable: true,
        configurable: true,
      })
    }
  }
  return wrapper
}
