// Which sub-store methods a suite calls: the contract suites run on stores seen through this, and each store's
// test file ends by checking that nothing was left uncalled (the contract covers every method).
import { SUB_STORES, type Store } from '../../src/store/store.js'
import type { OpenStore } from './contract.js'
import { interfaceMethodNames } from './store-methods.js'

function recording(store: Store, called: Set<string>): Store {
  const seen = Object.create(store) as Record<string, unknown>
  for (const sub of SUB_STORES) {
    const target = store[sub] as unknown as Record<string, unknown>
    const proxy = new Proxy(target, {
      get(t, prop) {
        const value = t[prop as string]
        if (typeof value !== 'function' || typeof prop !== 'string') return value
        return (...args: unknown[]) => {
          called.add(`${sub}.${prop}`)
          return (value as (...a: unknown[]) => unknown).apply(t, args)
        }
      },
    })
    // Defined, not assigned: the store's own sub-store properties are read-only.
    Object.defineProperty(seen, sub, { value: proxy, enumerable: true })
  }
  return seen as unknown as Store
}

export function trackCalls(open: OpenStore): { open: OpenStore; uncalled: () => string[] } {
  const called = new Set<string>()
  return {
    open: async () => {
      const opened = await open()
      return { ...opened, store: recording(opened.store, called) }
    },
    uncalled: () => interfaceMethodNames().filter((name) => !called.has(name)),
  }
}
