// Every method of a store: its own (close, ping, backup) and each sub-store's, by "sub.method" name; and the
// methods each sub-store's interface declares, listed here once and checked against the interfaces at compile
// time (a method added to an interface and not here fails the typecheck).
import { SUB_STORES, type Store } from '../../src/store/store.js'

type SubStore = (typeof SUB_STORES)[number]
/** All the keys of T, each once: `Exhaustive<T, typeof list>` is `true` only when the list names every key. */
type Exhaustive<T, L extends readonly (keyof T)[]> = [Exclude<keyof T, L[number]>] extends [never]
  ? true
  : false

const list =
  <K extends SubStore>() =>
  <const L extends readonly (keyof Store[K])[]>(
    methods: L & (Exhaustive<Store[K], L> extends true ? unknown : 'a method of the interface is missing'),
  ) =>
    methods

export const INTERFACE_METHODS = {
  workspaces: list<'workspaces'>()([
    'create',
    'createOwned',
    'list',
    'get',
    'update',
    'rotateToken',
    'rotateApiKey',
    'setSigningSecret',
    'resolveToken',
    'findWriteToken',
    'keepTokenShowable',
    'writeTokens',
    'addTemporaryToken',
  ]),
  rebuilds: list<'rebuilds'>()(['start', 'startNeeded', 'progress', 'slice', 'runToEnd']),
  ingest: list<'ingest'>()(['commit', 'listRejected']),
  liveHistory: list<'liveHistory'>()(['page']),
  users: list<'users'>()(['find', 'events', 'search', 'delete']),
  exports: list<'exports'>()(['events', 'users']),
  metrics: list<'metrics'>()([
    'dailyEvents',
    'dailyRevenue',
    'dailyUsers',
    'stateAt',
    'distinctUsers',
    'transitions',
    'channelSignups',
    'mrrChanges',
    'mrrCellSums',
    'cachedRetention',
    'cacheRetention',
    'mrrChangesOfSpells',
    'mrrRisers',
    'mrrReturners',
    'mrrLatest',
    'cohortValues',
    'cohortSize',
  ]),
  spend: list<'spend'>()(['add', 'addMany', 'update', 'delete', 'list']),
  fxRates: list<'fxRates'>()(['put', 'list', 'remove']),
  accounts: list<'accounts'>()([
    'count',
    'create',
    'createFirstOwner',
    'find',
    'get',
    'setPassword',
    'reserveLoginAttempt',
    'loginSucceeded',
    'changePassword',
    'replacePasswordHash',
  ]),
  sessions: list<'sessions'>()(['create', 'find', 'delete']),
  members: list<'members'>()(['memberships', 'list', 'set', 'remove']),
  invitations: list<'invitations'>()(['create', 'list', 'cancel', 'addressedTo', 'accept', 'decline']),
  shareLinks: list<'shareLinks'>()([
    'create',
    'list',
    'get',
    'revoke',
    'find',
    'reservePasswordAttempt',
    'releasePasswordAttempt',
  ]),
  copy: list<'copy'>()(['schemaVersion', 'exportRows', 'importRows', 'lastKey', 'countRows', 'finishImport']),
} satisfies Record<SubStore, readonly string[]>

/** "sub.method" for every method every sub-store interface declares. */
export const interfaceMethodNames = (): string[] =>
  SUB_STORES.flatMap((sub) => (INTERFACE_METHODS[sub] as readonly string[]).map((m) => `${sub}.${m}`))

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

/** Every function a store holds, its own and its sub-stores' (helpers of their classes included). */
export function storeMethods(store: Store): Array<[name: string, method: unknown]> {
  const list: Array<[string, unknown]> = methodsOf(store).map((name) => [name, (store as any)[name]])
  for (const sub of SUB_STORES) {
    const target = store[sub] as object
    for (const name of methodsOf(target)) list.push([`${sub}.${name}`, (target as any)[name]])
  }
  return list
}
