/**
 * HTML for the approval pages: every value escaped, one stylesheet whose hash the Content Security
 * Policy names (no script at all, inline or not), and the headers every answer carries.
 */
import { createHash } from 'node:crypto';

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`=/]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A piece of markup already escaped; only {@link html} and {@link raw} make one. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** Markup from a template: every interpolated value is escaped unless it is {@link Html} (or a list of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(
    strings.reduce((out, s, i) => out + s + (i < values.length ? interpolate(values[i]) : ''), ''),
  );
}

function interpolate(value: unknown): string {
  if (value instanceof Html) return value.markup;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(value);
}

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1b1b1b}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}.breach,.missing,.unknown{color:#a00;font-weight:600}.warning{color:#8a5a00}.ok{color:#196619}
.refused{border-left:4px solid #a00;padding:.5rem 1rem;background:#fff4f4}.done{border-left:4px solid #196619;padding:.5rem 1rem;background:#f2fbf2}
.warn{border-left:4px solid #8a5a00;padding:.5rem 1rem;background:#fffaf0}label{display:block;margin:.75rem 0 .25rem;font-weight:600}
input[type=text],textarea{width:100%;box-sizing:border-box;padding:.4rem;font:inherit}button{margin-top:1rem;padding:.6rem 1.2rem;font:inherit;font-weight:600;cursor:pointer}
.danger{background:#a00;color:#fff;border:0}.go{background:#196619;color:#fff;border:0}small,.muted{color:#555}code{word-break:break-all}`;

const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/**
 * The headers of every answer: no caching anywhere (a page names a live failover), no referrer (the
 * link's token must not leak to another site), never framed, no script, forms post only here.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store, max-age=0',
  pragma: 'no-cache',
  'referrer-policy': 'no-referrer',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex, nofollow',
  'strict-transport-security': 'max-age=31536000',
};

/** A whole page. */
export function page(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex,nofollow">
<title>${title} · Standby</title><style>${new Html(STYLE)}</style></head>
<body><h1>${title}</h1>
${body}
<p class="muted"><small>Standby disaster-recovery controller.</small></p>
</body></html>`.markup;
}
