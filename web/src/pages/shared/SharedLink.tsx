// What GET /api/v1/shared/:token tells about a link before any password, and the answer for a dead link.
import type { SharedLink } from '../../api-types'

/** `metrics`: the keys this link shows (every key when the owner did not limit them). */
export type { SharedLink }

export function Invalid() {
  return (
    <div className="state" role="alert">
      <h1>This link is no longer valid</h1>
      <p>It was revoked or never existed. Ask the person who shared it with you for a new link.</p>
    </div>
  )
}
