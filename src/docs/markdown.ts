// The small subset of Markdown the project's docs use, rendered as HTML: headings (with stable ids), paragraphs,
// lists (with lazy continuation lines), pipe tables, fenced code, and inline code, bold, italics and links.
// Every text is HTML-escaped before any markup is added, and a link keeps only a relative, #anchor or http(s)
// address, so a document can never inject markup or script. Pure: no I/O.

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** A heading's anchor: "Channels and UAC" → "channels-and-uac" (as GitHub makes them, for the ASCII subset). */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^a-z0-9 _-]/g, '')
    .trim()
    .replace(/ /g, '-')
}

/** An identifier in inline code (`churn_rate`) that becomes an anchor where it first heads a table row. */
const IDENTIFIER = /^[a-z][a-z0-9_]*$/

/**
 * http(s), or an address without a scheme (relative, /absolute, #anchor): never javascript: or data:. Control
 * characters are refused, as browsers drop some of them before reading the scheme.
 */
const safeUrl = (url: string) =>
  ![...url].some((ch) => ch.charCodeAt(0) <= 0x20 || ch.charCodeAt(0) === 0x7f) &&
  (/^https?:\/\//i.test(url) || !/^[a-z][a-z0-9+.-]*:/i.test(url))

/** Bold, italics and links over escaped text (no code in it). */
function emphasis(escaped: string): string {
  return escaped
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (whole: string, text: string, url: string) => {
      // The URL was escaped with the text: &amp; stays as is, which is correct in an attribute.
      return safeUrl(url) ? `<a href="${url}">${text}</a>` : whole
    })
    .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])_(\S(?:.*?\S)?)_(?=$|[\s).,;:!?])/g, '$1<em>$2</em>')
    .replace(/(^|[\s(])\*(\S(?:.*?\S)?)\*(?=$|[\s).,;:!?])/g, '$1<em>$2</em>')
}

/**
 * Inline Markdown: code spans first (their content is only escaped), then emphasis and links elsewhere.
 * `codeId` may give a code span an id (the anchors of the definitions' table).
 */
export function inline(text: string, codeId: (code: string) => string | null = () => null): string {
  const parts = text.split('`')
  // An odd number of backticks leaves the last one as text.
  if (parts.length % 2 === 0) parts[parts.length - 2] += `\`${parts.pop()!}`
  return parts
    .map((part, i) => {
      if (i % 2 === 0) return emphasis(escapeHtml(part))
      const id = codeId(part)
      return id === null
        ? `<code>${escapeHtml(part)}</code>`
        : `<code id="${escapeHtml(id)}">${escapeHtml(part)}</code>`
    })
    .join('')
}

/** A table row's cells: split on pipes outside code spans. */
function cells(line: string): string[] {
  const out: string[] = []
  let cell = ''
  let inCode = false
  for (const ch of line.trim().replace(/^\|/, '').replace(/\|$/, '')) {
    if (ch === '`') inCode = !inCode
    if (ch === '|' && !inCode) {
      out.push(cell.trim())
      cell = ''
    } else cell += ch
  }
  out.push(cell.trim())
  return out
}

const isSeparator = (line: string) => /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$/.test(line.trim())
const HEADING = /^(#{1,6})\s+(.*)$/
const BULLET = /^(\s*)[-*]\s+(.*)$/
const NUMBERED = /^(\s*)\d+[.)]\s+(.*)$/
const startsBlock = (line: string) =>
  HEADING.test(line) ||
  line.startsWith('```') ||
  line.trim().startsWith('|') ||
  BULLET.test(line) ||
  NUMBERED.test(line)

export function renderMarkdown(source: string): string {
  const lines = source.replace(/\r\n?/g, '\n').split('\n')
  const html: string[] = []
  const used = new Set<string>()
  /** An id once per document: a second heading or key of the same name gets none (or a suffix, for headings). */
  const unique = (id: string, suffix: boolean): string | null => {
    if (!used.has(id)) {
      used.add(id)
      return id
    }
    if (!suffix) return null
    let n = 1
    while (used.has(`${id}-${n}`)) n++
    used.add(`${id}-${n}`)
    return `${id}-${n}`
  }
  const keyId = (code: string) => (IDENTIFIER.test(code) ? unique(code, false) : null)

  let i = 0
  while (i < lines.length) {
    const line = lines[i]!
    if (line.trim() === '') {
      i++
      continue
    }
    const heading = HEADING.exec(line)
    if (heading) {
      const level = heading[1]!.length
      const text = heading[2]!.trim()
      const id = unique(slug(text) || 'section', true)!
      html.push(`<h${level} id="${escapeHtml(id)}">${inline(text)}</h${level}>`)
      i++
      continue
    }
    if (line.startsWith('```')) {
      const lang = line.slice(3).trim()
      const body: string[] = []
      i++
      while (i < lines.length && !lines[i]!.startsWith('```')) body.push(lines[i++]!)
      i++ // the closing fence
      const cls = /^[\w-]+$/.test(lang) ? ` class="language-${lang}"` : ''
      html.push(`<pre><code${cls}>${escapeHtml(body.join('\n'))}</code></pre>`)
      continue
    }
    if (line.trim().startsWith('|') && i + 1 < lines.length && isSeparator(lines[i + 1]!)) {
      const head = cells(line)
      i += 2
      const rows: string[][] = []
      while (i < lines.length && lines[i]!.trim().startsWith('|')) rows.push(cells(lines[i++]!))
      // A wide table scrolls on a phone: focusable, so the keyboard can scroll it too.
      html.push(
        '<div class="table" tabindex="0"><table><thead><tr>' +
          head.map((c) => `<th>${inline(c)}</th>`).join('') +
          '</tr></thead><tbody>' +
          rows
            .map(
              (r) =>
                '<tr>' +
                head
                  .map((_h, k) => `<td>${k === 0 ? inline(r[k] ?? '', keyId) : inline(r[k] ?? '')}</td>`)
                  .join('') +
                '</tr>',
            )
            .join('') +
          '</tbody></table></div>',
      )
      continue
    }
    const listKind = BULLET.test(line) ? 'ul' : NUMBERED.test(line) ? 'ol' : null
    if (listKind !== null) {
      const marker = listKind === 'ul' ? BULLET : NUMBERED
      const items: string[] = []
      while (i < lines.length && lines[i]!.trim() !== '') {
        const item = marker.exec(lines[i]!)
        if (item) items.push(item[2]!)
        else if (startsBlock(lines[i]!)) break
        else items[items.length - 1] += ` ${lines[i]!.trim()}`
        i++
      }
      html.push(`<${listKind}>${items.map((t) => `<li>${inline(t)}</li>`).join('')}</${listKind}>`)
      continue
    }
    const paragraph: string[] = []
    while (i < lines.length && lines[i]!.trim() !== '' && !startsBlock(lines[i]!))
      paragraph.push(lines[i++]!.trim())
    html.push(`<p>${inline(paragraph.join(' '))}</p>`)
  }
  return html.join('\n')
}
