// Every method of a store: its own (close, ping, backup) and each sub-store's, by "sub.method" name.
import { SUB_STORES, type Store } from '../../src/store/store.js'

function methodsOf(target: object): string[] {
  const names = new Set<string>()
  for (let o: object | null = target; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name !== 'constructor' && typeof (target as Record<string, unknown>)[name] === 'function')
        names.add(name)
    }
  }
  return [...names]
}

export function storeMethods(store: Store): Array<[name: string, method: unknown]> {
  const list: Array<[string, unknown]> = methodsOf(store).map((name) => [name, (store as any)[name]])
  for (const sub of SUB_STORES) {
    const target = store[sub] as object
    for (const name of methodsOf(target)) list.push([`${sub}.${name}`, (target as any)[name]])
  }
  return list
}
