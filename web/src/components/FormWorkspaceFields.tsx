// Name, time zone and currency of a workspace, as the server validates them (IANA zone, ISO-4217 code).
import { useId } from 'react'

export interface WorkspaceInput {
  name: string
  timezone: string
  currency: string
}

export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'

let zones: string[] | null = null
function timeZones(): string[] {
  // Older browsers lack supportedValuesOf; the field still accepts any typed zone.
  zones ??= typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return zones
}

export function WorkspaceFields(props: {
  value: WorkspaceInput
  onChange: (value: WorkspaceInput) => void
  /** Name, time zone and currency are the owner's to change. */
  disabled?: boolean
}) {
  const list = useId()
  const set = (patch: Partial<WorkspaceInput>) => props.onChange({ ...props.value, ...patch })
  return (
    <>
      <label>
        Workspace name
        <input
          required
          maxLength={200}
          value={props.value.name}
          disabled={props.disabled}
          onChange={(e) => set({ name: e.target.value })}
        />
      </label>
      <label>
        Time zone
        <input
          required
          list={list}
          autoComplete="off"
          value={props.value.timezone}
          disabled={props.disabled}
          onChange={(e) => set({ timezone: e.target.value })}
        />
      </label>
      <datalist id={list}>
        {timeZones().map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <label>
        Currency
        <input
          required
          pattern="[A-Za-z]{3}"
          maxLength={3}
          title="A three-letter ISO-4217 code, e.g. USD or EUR"
          value={props.value.currency}
          disabled={props.disabled}
          onChange={(e) => set({ currency: e.target.value.toUpperCase() })}
        />
      </label>
    </>
  )
}
