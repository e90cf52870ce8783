// analytics.min.js: @segment/analytics-next's standalone build (what cdn.segment.com serves at
// /analytics.js/v1/<writeKey>/analytics.min.js), behind a short prologue that tells it its CDN is this server.
//
// The bundle looks for its CDN, once, as it starts: a module-level value, else `window.analytics._cdn`, else
// the https URL of its own <script> (`/(https:\/\/.*)\/analytics\.js\/v1\/…/`: never over http), else
// https://cdn.segment.com. From that it takes the URL of its lazy chunks and of the settings. The prologue sets
// `_cdn` on the snippet's global (the snippet names it in data-global-segment-analytics-key, "analytics" by
// default) unless the page set one; as the bundle reads `window.analytics` at that moment, before it looks
// at that attribute, a global under another name stands in as `window.analytics` while the bundle starts,
// and the page's own `window.analytics` (or its absence) is put back afterwards. The write key needs no help:
// the bundle takes it from the snippet (`_writeKey`) or from the script URL (/http.*\/analytics\.js\/v1\/([^/]*)…/,
// http as well as https).
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { BUNDLE_DIR, BUNDLE_VERSION } from './bundle-dir.js'

export interface Script {
  body: Buffer
  /** A strong ETag: the bundle's and the origin's, as the prologue names the origin. */
  etag: string
}

function prologue(cdn: string): string {
  return [
    `/* Tractionboard: analytics.js (@segment/analytics-next ${BUNDLE_VERSION}, standalone) */`,
    `;(function(w,d){`,
    `var cdn=${JSON.stringify(cdn)};`,
    `var s=d.currentScript||d.querySelector("script[data-global-segment-analytics-key]");`,
    `var k=(s&&s.getAttribute("data-global-segment-analytics-key"))||"analytics";`,
    `var g=w[k]=w[k]||[];if(!g._cdn)g._cdn=cdn;`,
    `var had=Object.prototype.hasOwnProperty.call(w,"analytics"),own=w.analytics;if(k!=="analytics")w.analytics=g;`,
    `try{`,
  ].join('\n')
}

const EPILOGUE = [
  `\n}finally{if(k!=="analytics"){if(had)w.analytics=own;else delete w.analytics}}`,
  `})(window,document);`,
  '',
].join('\n')

/** The standalone build and the scripts made of it, one per origin (a few: PUBLIC_URL, or the Host names). */
export class AnalyticsScript {
  private readonly bundle: string
  private readonly bundleHash: string
  private readonly byOrigin = new Map<string, Script>()

  /** Reads the bundle now (at startup): a missing dependency fails the start, not a page. */
  constructor(path = `${BUNDLE_DIR}standalone.js`) {
    // Its source map comment would point beside this URL (not served), and its lines moved by the prologue.
    this.bundle = readFileSync(path, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n')
    this.bundleHash = createHash('sha256').update(this.bundle).digest('base64url').slice(0, 20)
  }

  for(cdn: string): Script {
    let script = this.byOrigin.get(cdn)
    if (script === undefined) {
      const originHash = createHash('sha256').update(cdn).digest('base64url').slice(0, 10)
      script = {
        body: Buffer.from(`${prologue(cdn)}\n${this.bundle}${EPILOGUE}`),
        etag: `"${this.bundleHash}-${originHash}"`,
      }
      // Host headers are the client's: a bounded number of variants is kept.
      if (this.byOrigin.size >= 32) this.byOrigin.clear()
      this.byOrigin.set(cdn, script)
    }
    return script
  }
}
