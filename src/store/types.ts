// Every type of the store's interface, from one import: the Store itself (store.ts) and each sub-store's
// interface and row types (interfaces/*.ts).
export * from './store.js'
export * from './interfaces/accounts.js'
export * from './interfaces/copy.js'
export * from './interfaces/copy-tables.js'
export * from './interfaces/ingest.js'
export * from './interfaces/members.js'
export * from './interfaces/metrics.js'
export * from './interfaces/share-links.js'
export * from './interfaces/spend.js'
export * from './interfaces/users.js'
export * from './interfaces/workspaces.js'
