// Shapes used by several answers. A module of src/api/shapes/ imports zod and its siblings only: the web app
// imports their inferred types (web/src/api-types.ts), so nothing server-side may come with them.
import { z } from 'zod'

export const isoTime = z.string().meta({ format: 'date-time', description: 'ISO-8601, UTC' })
export const day = z.string().meta({ format: 'date', description: 'A local day, YYYY-MM-DD' })
