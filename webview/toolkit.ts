/**
 * The only place that knows about @vscode/webview-ui-toolkit. Its upstream is archived, so the rest of the
 * webview asks for "a button", "a checkbox", "a table" here, and swapping the toolkit out touches this
 * file alone. The toolkit registers its elements itself: the host loads its toolkit.min.js as a module
 * script before ours, and these functions only create its elements by tag name.
 */
import type { Column, TableRow } from './tableRows';

export function button(id: string, label: string, onClick: () => void, primary = false): HTMLElement {
  const el = document.createElement('vscode-button');
  el.id = id;
  el.dataset.testid = id;
  el.textContent = label;
  el.setAttribute('appearance', primary ? 'primary' : 'secondary');
  el.addEventListener('click', () => {
    if (!el.hasAttribute('disabled')) onClick();
  });
  return el;
}

export function setEnabled(el: HTMLElement, enabled: boolean): void {
  el.toggleAttribute('disabled', !enabled);
}

export interface Checkbox {
  readonly element: HTMLElement;
  set(checked: boolean): void;
}

/** A checkbox that reports the user's changes only: the toolkit also fires `change` when code sets it. */
export function checkbox(id: string, label: string, onChange: (checked: boolean) => void): Checkbox {
  const el = document.createElement('vscode-checkbox') as HTMLElement & { checked: boolean };
  el.id = id;
  el.dataset.testid = id;
  el.textContent = label;
  let setting = false;
  el.addEventListener('change', () => {
    if (!setting) onChange(el.checked);
  });
  return {
    element: el,
    set(checked) {
      if (el.checked === checked) return;
      setting = true;
      try {
        el.checked = checked;
      } finally {
        setting = false;
      }
    },
  };
}

export interface Dropdown {
  readonly element: HTMLElement;
  /** Replaces the choices (first the "any" choice, whose value is null) and selects `selected`. */
  setOptions(choices: readonly string[], selected: string | null): void;
}

/** A single choice out of `choices`, or "any" (reported as null). */
export function dropdown(
  id: string,
  anyLabel: string,
  ariaLabel: string,
  onChange: (value: string | null) => void,
): Dropdown {
  const el = document.createElement('vscode-dropdown') as HTMLElement & { value: string };
  el.id = id;
  el.dataset.testid = id;
  el.setAttribute('aria-label', ariaLabel);
  let shown = '';
  let setting = false;
  el.addEventListener('change', () => {
    if (!setting) onChange(el.value === '' ? null : el.value.slice(1));
  });
  // values are prefixed so that a real choice can never be the empty "any" value
  const option = (value: string, label: string) => {
    const o = document.createElement('vscode-option');
    o.setAttribute('value', value);
    o.textContent = label;
    return o;
  };
  return {
    element: el,
    setOptions(choices, selected) {
      const all = selected !== null && !choices.includes(selected) ? [...choices, selected] : choices;
      const key = JSON.stringify(all);
      setting = true;
      try {
        if (key !== shown) {
          shown = key;
          el.replaceChildren(option('', anyLabel), ...all.map((c) => option(`=${c}`, c)));
        }
        const value = selected === null ? '' : `=${selected}`;
        if (el.value !== value) el.value = value;
      } finally {
        setting = false;
      }
    },
  };
}

export interface Table<K extends string> {
  readonly element: HTMLElement;
  setRows(rows: readonly TableRow<K>[]): void;
}

function cell(column: number, content: string, key: string, header = false): HTMLElement {
  const c = document.createElement('vscode-data-grid-cell');
  c.setAttribute('grid-column', String(column));
  if (header) c.setAttribute('cell-type', 'columnheader');
  c.dataset.column = key;
  c.textContent = content;
  return c;
}

/**
 * A data grid with a fixed header. Rows are identified by key: when the same keys come again in the same
 * order (the usual case: a second ticking by) only changed texts are written, so the grid keeps its focus
 * and the toolkit does not rebuild elements.
 */
export function table<K extends string>(id: string, label: string, columns: readonly Column<K>[]): Table<K> {
  const grid = document.createElement('vscode-data-grid');
  grid.id = id;
  grid.dataset.testid = id;
  grid.setAttribute('aria-label', label);
  grid.setAttribute('generate-header', 'none');
  grid.setAttribute('grid-template-columns', columns.map((c) => c.width).join(' '));
  const header = document.createElement('vscode-data-grid-row');
  header.setAttribute('row-type', 'header');
  header.append(...columns.map((c, i) => cell(i + 1, c.title, c.key, true)));
  grid.append(header);
  let rowElements: HTMLElement[] = [];
  let keys = '';

  const fill = (row: HTMLElement, data: TableRow<K>) => {
    const cells = row.children;
    columns.forEach((c, i) => {
      const el = cells[i] as HTMLElement;
      const value = data.cells[c.key];
      if (el.textContent !== value) el.textContent = value;
      // long texts (a why, a reason) are cut by the column: the full text is one hover away
      if (el.title !== value) el.title = value;
    });
    for (const [name, value] of Object.entries(data.data ?? {}))
      if (row.dataset[name] !== value) row.dataset[name] = value;
  };

  return {
    element: grid,
    setRows(rows) {
      const nextKeys = rows.map((r) => r.key).join('\n');
      if (nextKeys !== keys) {
        keys = nextKeys;
        rowElements = rows.map((r) => {
          const row = document.createElement('vscode-data-grid-row');
          row.dataset.testid = r.key;
          row.append(...columns.map((c, i) => cell(i + 1, '', c.key)));
          return row;
        });
        grid.replaceChildren(header, ...rowElements);
      }
      rows.forEach((r, i) => fill(rowElements[i]!, r));
    },
  };
}

/** A small count or state marker beside a heading. */
export function badge(id: string): HTMLElement {
  const el = document.createElement('vscode-badge');
  el.id = id;
  el.dataset.testid = id;
  return el;
}
