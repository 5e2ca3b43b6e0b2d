import { randomBytes } from 'node:crypto';

export interface QueuePanelHtmlParts {
  /** The webview's `cspSource`: where its scripts, styles and fonts may come from. */
  readonly cspSource: string;
  readonly nonce: string;
  readonly title: string;
  /** Webview URIs, as strings. */
  readonly toolkitScript: string;
  readonly panelScript: string;
  readonly styles: readonly string[];
}

/** A fresh nonce per HTML: a script runs only if the host wrote this nonce on it. */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The panel's page: nothing runs or loads unless the CSP allows it, and it allows only our files and
 * scripts with the nonce; no `unsafe-inline` (the toolkit's one inline style is refused, harmlessly) and
 * no `unsafe-eval`. The toolkit's script comes before ours so its elements are defined when ours runs.
 */
export function queuePanelHtml(parts: QueuePanelHtmlParts): string {
  const { cspSource, nonce } = parts;
  const csp = [
    "default-src 'none'",
    `img-src ${cspSource}`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const a = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
${parts.styles.map((href) => `<link rel="stylesheet" href="${a(href)}">`).join('\n')}
<script type="module" nonce="${a(nonce)}" src="${a(parts.toolkitScript)}"></script>
<script type="module" nonce="${a(nonce)}" src="${a(parts.panelScript)}"></script>
<title>${a(parts.title)}</title>
</head>
<body>
<main id="queue-panel" data-testid="queue-panel"></main>
</body>
</html>
`;
}
