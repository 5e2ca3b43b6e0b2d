/**
 * What a buildable queue item's `why` text says about the label it needs (reference §2.4). Jenkins builds
 * these texts from `hudson/model/Messages.properties`; this reads the English ones (send
 * `Accept-Language: en`), with the curly quotes of Jenkins >= 2.125 and the unquoted forms older releases
 * used for the "executor on" and "is offline" texts.
 */
export type QueueWhyReading =
  /** `Waiting for next available executor`: the item has no label, or Jenkins has no agent nodes at all. */
  | { readonly kind: 'no-label' }
  /** `Waiting for next available executor on ‘X’`: X is the label, or the node name when the label has one node. */
  | { readonly kind: 'busy'; readonly text: string }
  /** `There are no nodes with the label ‘L’` / `All nodes of label ‘L’ are offline`: always a label. */
  | { readonly kind: 'label'; readonly text: string; readonly state: 'no-nodes' | 'all-offline' }
  /** `‘X’ is offline`: X is the only node of the item's label. */
  | { readonly kind: 'node-offline'; readonly node: string }
  /**
   * Idle executors refused the item (`;`-joined reasons): `‘n’ doesn’t have label ‘L’` names the label;
   * `‘n’ is reserved for jobs with matching label expression` means the item has no label (an EXCLUSIVE
   * node refuses only unlabeled work); other refusals carry no label.
   */
  | { readonly kind: 'refused'; readonly labels: readonly string[]; readonly reserved: boolean }
  | { readonly kind: 'shutting-down' }
  | { readonly kind: 'other'; readonly text: string };

const Q = '‘';
const E = '’';
const BUSY = /^Waiting for next available executor on ‘(.+)’$/su;
const BUSY_OLD = /^Waiting for next available executor on (.+)$/su;
const NO_NODES = /^There are no nodes with the label ‘(.+)’$/su;
const ALL_OFFLINE = /^All nodes of label ‘(.+)’ are offline$/su;
const NODE_OFFLINE = /^‘(.+)’ is offline$/su;
const NODE_OFFLINE_OLD = /^(\S.*) is offline$/su;
const LABEL_MISSING = /^‘(.+?)’ doesn’t have label ‘(.+)’$/su;
const RESERVED = /^‘(.+)’ is reserved for jobs with matching label expression$/su;

export function readQueueWhy(why: string | null | undefined): QueueWhyReading {
  const text = (why ?? '').trim();
  if (text === 'Waiting for next available executor') return { kind: 'no-label' };
  if (text === 'Jenkins is about to shut down') return { kind: 'shutting-down' };
  let m = BUSY.exec(text) ?? (text.includes(Q) ? null : BUSY_OLD.exec(text));
  if (m) return { kind: 'busy', text: m[1]! };
  if ((m = NO_NODES.exec(text))) return { kind: 'label', text: m[1]!, state: 'no-nodes' };
  if ((m = ALL_OFFLINE.exec(text))) return { kind: 'label', text: m[1]!, state: 'all-offline' };
  // a single refusal reads like "‘n’ is offline" only when it is that text; refusals are checked first
  const refused = readRefusals(text);
  if (refused) return refused;
  m = NODE_OFFLINE.exec(text) ?? (text.includes(Q) ? null : NODE_OFFLINE_OLD.exec(text));
  if (m) return { kind: 'node-offline', node: m[1]! };
  return { kind: 'other', text };
}

// `CompositeCauseOfBlockage`: at most five reasons joined with "; ", then "; ... and N more".
function readRefusals(text: string): QueueWhyReading | undefined {
  const parts = text.split(/; (?=‘|\.\.\. and \d+ more$)/u).filter((p) => !/^\.\.\. and \d+ more$/.test(p));
  const labels: string[] = [];
  let reserved = false;
  let recognised = 0;
  for (const part of parts) {
    const missing = LABEL_MISSING.exec(part);
    if (missing) {
      if (!labels.includes(missing[2]!)) labels.push(missing[2]!);
      recognised++;
    } else if (RESERVED.test(part)) {
      reserved = true;
      recognised++;
    } else if (part.startsWith(Q) && part.includes(E) && !NODE_OFFLINE.test(part)) {
      recognised++; // not accepting tasks, lacks permission, plugin vetoes: no label in them
    }
  }
  if (recognised === 0 || recognised !== parts.length) return undefined;
  return { kind: 'refused', labels, reserved };
}
