// The password form of a protected share link.
import { useState, type FormEvent, type ReactNode } from 'react'

export function SharedPassword(props: { onSubmit: (password: string) => void; error: ReactNode }) {
  const [value, setValue] = useState('')
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (value !== '') props.onSubmit(value)
  }
  return (
    <form className="form" onSubmit={submit}>
      <p className="muted">
        This view is protected by a password. Ask the person who shared the link for it.
      </p>
      <label>
        Password
        <input
          type="password"
          required
          autoFocus
          autoComplete="current-password"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      </label>
      {props.error}
      <button type="submit" className="primary">
        View
      </button>
    </form>
  )
}
