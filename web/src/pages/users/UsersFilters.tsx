// Search and filters of the users list, kept in the page's query string so that Back from a user restores them.
import type { FormEvent } from 'react'
import type { Sort, SortKey } from './UsersTable'

export interface Filters {
  query: string
  status: '' | 'active' | 'canceled'
  audience: string
  attribute: string
  value: string
}

export const NO_FILTERS: Filters = { query: '', status: '', audience: '', attribute: '', value: '' }
const SORTS: SortKey[] = ['external_id', 'earnings', 'last_seen', 'first_seen', 'signed_up_at']
export const DEFAULT_SORT: Sort = { key: 'last_seen', descending: true }

export const hasFilters = (f: Filters) =>
  f.query !== '' || f.status !== '' || f.audience !== '' || (f.attribute !== '' && f.value !== '')

/** The API's query parameters (see src/api/users-list.ts); an attribute filters only once both its name and value are given. */
export function apiParams(f: Filters, sort: Sort): URLSearchParams {
  const p = new URLSearchParams()
  if (f.query.trim() !== '') p.set('query', f.query.trim())
  if (f.status !== '') p.set('status', f.status)
  if (f.audience.trim() !== '') p.set('audience', f.audience.trim())
  if (f.attribute.trim() !== '' && f.value !== '') p.set(`attribute.${f.attribute.trim()}`, f.value)
  p.set('sort', `${sort.descending ? '-' : ''}${sort.key}`)
  return p
}

/**
 * The page's own search params (/users?query=…&status=…): the same names as the API's, with the attribute as
 * attr/value so that it survives any attribute name; sort as "-last_seen". Absent when empty or the default.
 */
export interface UsersSearch {
  query?: string
  status?: 'active' | 'canceled'
  audience?: string
  attr?: string
  value?: string
  sort?: `${'' | '-'}${SortKey}`
}

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined

/** The route's validateSearch: whatever the URL holds, as a UsersSearch (unknown values dropped). */
export function usersSearch(raw: Record<string, unknown>): UsersSearch {
  const status = raw['status']
  const sort = text(raw['sort'])
  const search: UsersSearch = {
    query: text(raw['query']),
    status: status === 'active' || status === 'canceled' ? status : undefined,
    audience: text(raw['audience']),
    attr: text(raw['attr']),
    value: text(raw['value']),
    sort:
      sort !== undefined && SORTS.includes(sort.replace(/^-/, '') as SortKey)
        ? (sort as UsersSearch['sort'])
        : undefined,
  }
  return Object.fromEntries(Object.entries(search).filter(([, v]) => v !== undefined)) as UsersSearch
}

export function pageSearch(f: Filters, sort: Sort): UsersSearch {
  const defaultSort = sort.key === DEFAULT_SORT.key && sort.descending === DEFAULT_SORT.descending
  return usersSearch({
    query: f.query,
    status: f.status,
    audience: f.audience,
    attr: f.attribute,
    value: f.value,
    sort: defaultSort ? undefined : `${sort.descending ? '-' : ''}${sort.key}`,
  })
}

export const sameSearch = (a: UsersSearch, b: UsersSearch) =>
  (['query', 'status', 'audience', 'attr', 'value', 'sort'] as const).every((k) => a[k] === b[k])

let remembered: UsersSearch = {}
/** The users list's search as last shown, for links back to it from a user's page. */
export const lastUsersSearch = () => remembered

export function rememberUsersSearch(search: UsersSearch): void {
  remembered = search
}

export function fromSearch(search: UsersSearch): { filters: Filters; sort: Sort } {
  const rawSort = search.sort ?? ''
  const key = rawSort.replace(/^-/, '') as SortKey
  return {
    filters: {
      query: search.query ?? '',
      status: search.status ?? '',
      audience: search.audience ?? '',
      attribute: search.attr ?? '',
      value: search.value ?? '',
    },
    sort: SORTS.includes(key) ? { key, descending: rawSort.startsWith('-') } : DEFAULT_SORT,
  }
}

export function UsersFilters(props: {
  value: Filters
  onChange: (f: Filters) => void
  onSubmit: () => void
}) {
  const f = props.value
  const set = (patch: Partial<Filters>) => props.onChange({ ...f, ...patch })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    props.onSubmit()
  }
  return (
    <form role="search" className="toolbar users-filters" onSubmit={submit}>
      <label>
        Search users
        <input
          type="search"
          value={f.query}
          placeholder="ID, email or name"
          onChange={(e) => set({ query: e.target.value })}
        />
      </label>
      <label>
        Status
        <select value={f.status} onChange={(e) => set({ status: e.target.value as Filters['status'] })}>
          <option value="">Any</option>
          <option value="active">Active</option>
          <option value="canceled">Canceled</option>
        </select>
      </label>
      <label>
        Audience
        <input
          value={f.audience}
          placeholder="audience key"
          onChange={(e) => set({ audience: e.target.value })}
        />
      </label>
      <label>
        Attribute
        <input
          value={f.attribute}
          placeholder="e.g. plan"
          onChange={(e) => set({ attribute: e.target.value })}
        />
      </label>
      <label>
        Value
        <input value={f.value} placeholder="e.g. pro" onChange={(e) => set({ value: e.target.value })} />
      </label>
      <button type="submit">Search</button>
      {(hasFilters(f) || f.attribute !== '' || f.value !== '') && (
        <button type="button" className="link" onClick={() => props.onChange(NO_FILTERS)}>
          Clear filters
        </button>
      )}
    </form>
  )
}
