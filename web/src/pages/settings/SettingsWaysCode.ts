// The code each way in needs, filled in with this server's URL and the Token ID (or a placeholder): pure strings,
// so what the page shows is exactly what Copy copies.

/** Shown where the Token ID goes when the page does not know it (stored hashed) or the viewer may not see it. */
export const TOKEN_PLACEHOLDER = 'YOUR_TOKEN_ID'

export interface WayValues {
  /** This server's public URL, without a trailing slash. */
  url: string
  token: string
  currency: string
}

/** Where this server is reached: the address the dashboard itself was loaded from (the server serves both). */
export function serverUrl(): string {
  return window.location.origin
}

const js = (value: string) => JSON.stringify(value)

/**
 * Segment's analytics.js snippet (version 5.2.0, as Segment's set-up page gives it), with its CDN host
 * https://cdn.segment.com replaced by this server: it serves analytics.js and the source settings, which point
 * the library's API host back here.
 */
export function segmentSnippet({ url, token }: WayValues): string {
  return `<script>
  !function(){var i="analytics",analytics=window[i]=window[i]||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.methods=["trackSubmit","trackClick","trackLink","trackForm","pageview","identify","reset","group","track","ready","alias","debug","page","screen","once","off","on","addSourceMiddleware","addIntegrationMiddleware","setAnonymousId","addDestinationMiddleware","register"];analytics.factory=function(e){return function(){if(window[i].initialized)return window[i][e].apply(window[i],arguments);var n=Array.prototype.slice.call(arguments);if(["track","screen","alias","group","page","identify"].indexOf(e)>-1){var c=document.querySelector("link[rel='canonical']");n.push({__t:"bpc",c:c&&c.getAttribute("href")||void 0,p:location.pathname,u:location.href,s:location.search,t:document.title,r:document.referrer})}n.unshift(e);analytics.push(n);return analytics}};for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}analytics.load=function(key,n){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.setAttribute("data-global-segment-analytics-key",i);t.src=${js(url)}+"/analytics.js/v1/"+key+"/analytics.min.js";var r=document.getElementsByTagName("script")[0];r.parentNode.insertBefore(t,r);analytics._loadOptions=n};analytics._writeKey=${js(token)};analytics.SNIPPET_VERSION="5.2.0";
  analytics.load(${js(token)});
  analytics.page();
  }}();
</script>`
}

export function analyticsNode({ url, token, currency }: WayValues): string {
  return `// npm install @segment/analytics-node
import { Analytics } from '@segment/analytics-node'

const analytics = new Analytics({ writeKey: ${js(token)}, host: ${js(url)} })
analytics.identify({ userId: 'u-42', traits: { email: 'ada@example.com' } })
analytics.track({ userId: 'u-42', event: 'Payment Made', properties: { amount: 49, currency: ${js(currency)} } })
await analytics.closeAndFlush()`
}

export function analyticsBrowser({ url, token }: WayValues): string {
  return `// npm install @segment/analytics-next
import { AnalyticsBrowser } from '@segment/analytics-next'

export const analytics = AnalyticsBrowser.load({ writeKey: ${js(token)}, cdnURL: ${js(url)} })
analytics.page()`
}

export function rudderStack({ url, token }: WayValues): string {
  return `// npm install @rudderstack/analytics-js
import { RudderAnalytics } from '@rudderstack/analytics-js'

const rudderanalytics = new RudderAnalytics()
rudderanalytics.load(${js(token)}, ${js(url)}, { configUrl: ${js(url)} })
rudderanalytics.identify('u-42', { email: 'ada@example.com' })
rudderanalytics.track('signup')`
}

/**
 * Queues the calls made before tractionboard.js has loaded, as [method, arguments] in window.tractionboard.q;
 * the tracker replays them once loaded. The same two lines as in web/src/tracker/tractionboard.ts and docs/api.md.
 */
export const TRACKER_STUB = `window.tractionboard=window.tractionboard||{q:[]};
['identify','track','page','group','alias','reset'].forEach(function(m){tractionboard[m]=tractionboard[m]||function(){tractionboard.q.push([m,arguments])}})`

export function trackerTag({ url, token }: WayValues): string {
  return `<script>
${TRACKER_STUB}
</script>
<script async src=${js(`${url}/tractionboard.js`)} data-token=${js(token)}></script>`
}

export const TRACKER_CALLS = `tractionboard.identify('u-42', { email: 'ada@example.com', plan: 'pro' })
tractionboard.track('signup')`

export function curlTrack({ url, token }: WayValues): string {
  return `curl -u ${token}: ${url}/v1/track \\
  -H 'Content-Type: application/json' \\
  -d '{"userId":"u-42","event":"signup"}'`
}
