/** The webview refuses a message with a longer text (webview/protocol.ts allows 4096; a margin is kept). */
const MAX_TEXT = 4000;

/** A text for the queue panel, cut with an ellipsis when too long (a reason listing every refused offer can be). */
export function clipPanelText(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}
