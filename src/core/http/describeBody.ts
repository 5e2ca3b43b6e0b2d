/** Turning response bodies into something short and safe to put in a sentence. */

const REASON_LIMIT = 500;

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(contentType: string | null | undefined): string | undefined {
  if (!contentType) return undefined;
  const type = contentType.split(';')[0]?.trim().toLowerCase();
  return type || undefined;
}

/** Whether a media type is one of `expected` (entries may be `type/*`). */
export function mediaTypeMatches(type: string | undefined, expected: readonly string[]): boolean {
  if (type === undefined) return false;
  return expected.some((entry) => {
    const wanted = entry.trim().toLowerCase();
    return wanted === type || (wanted.endsWith('/*') && type.startsWith(wanted.slice(0, -1)));
  });
}

export function looksLikeHtml(contentType: string | null | undefined, bytes: Uint8Array): boolean {
  const type = mediaType(contentType);
  if (type === 'text/html' || type === 'application/xhtml+xml') return true;
  const start = Buffer.from(bytes.subarray(0, 256)).toString('utf8').trimStart().slice(0, 15).toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html');
}

/**
 * A one-line summary of a body: an HTML page's title (or its text), otherwise the text itself with
 * control characters removed and whitespace collapsed, cut to a length that fits a notification.
 */
export function summariseBody(
  contentType: string | null | undefined,
  bytes: Uint8Array,
): { text: string; html: boolean } {
  if (bytes.length === 0) return { text: '', html: false };
  const raw = Buffer.from(bytes).toString('utf8');
  if (looksLikeHtml(contentType, bytes)) {
    const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(raw)?.[1];
    const text = title ?? raw.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ');
    return { text: cut(oneLine(decodeEntities(text)), 200), html: true };
  }
  return { text: cut(oneLine(raw.slice(0, REASON_LIMIT * 2)), REASON_LIMIT), html: false };
}

/** Control characters (a terminal escape in a reason, say) become spaces, then whitespace collapses. */
function oneLine(text: string): string {
  let clean = '';
  for (const char of text) {
    const code = char.charCodeAt(0);
    clean += code < 0x20 || code === 0x7f ? ' ' : char;
  }
  return clean.replace(/\s+/g, ' ').trim();
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
}
