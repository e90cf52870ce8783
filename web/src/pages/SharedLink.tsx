// What GET /api/v1/shared/:token tells about a link before any password, and the answer for a dead link.

export interface SharedLink {
  name: string
  workspace: string
  timezone: string
  currency: string
  /** The keys this link shows (every key when the owner did not limit them). */
  metrics: string[]
  password_protected: boolean
}

export function Invalid() {
  return (
    <div className="state" role="alert">
      <h1>This link is no longer valid</h1>
      <p>It was revoked or never existed. Ask the person who shared it with you for a new link.</p>
    </div>
  )
}
