import * as vscode from 'vscode';
import { sandboxChild, sandboxParent, type SandboxFileAddress } from '../../core/mesos/files/sandboxFileUri';
import type { SandboxFileSystemProvider } from './sandboxFileSystemProvider';
import { listingRows, type ListingRow } from './sandboxListing';

/** What the user chose in the browser: a file to open, or a file to download. */
export interface SandboxBrowseChoice {
  readonly action: 'open' | 'download';
  readonly address: SandboxFileAddress;
}

interface RowItem extends vscode.QuickPickItem {
  readonly row?: ListingRow;
  /** The listing failed: accepting this row lists the directory again. */
  readonly retry?: true;
}

const DOWNLOAD_BUTTON: vscode.QuickInputButton = {
  iconPath: new vscode.ThemeIcon('cloud-download'),
  tooltip: 'Download…',
};

/**
 * A QuickPick that walks a task's sandbox: directories open in place (`..` goes up), a file is chosen
 * to open, and each file row has a Download… button. Resolves when a file is chosen, or undefined when
 * the picker is closed.
 */
export function browseSandbox(
  provider: SandboxFileSystemProvider,
  start: SandboxFileAddress,
  title: string,
): Promise<SandboxBrowseChoice | undefined> {
  const picker = vscode.window.createQuickPick<RowItem>();
  picker.title = title;
  picker.matchOnDescription = true;
  let current = start;
  // a listing that arrives after the user moved on is dropped
  let generation = 0;

  const show = async (address: SandboxFileAddress): Promise<void> => {
    const mine = ++generation;
    current = address;
    picker.value = '';
    picker.placeholder = `/${address.path}: pick a file to open, or a directory`;
    picker.busy = true;
    picker.items = [];
    let items: RowItem[];
    try {
      const entries = await provider.list(address);
      const rows = listingRows(entries, { atRoot: address.path === '' });
      items = rows.map((row) => ({
        label: row.label,
        description: row.description,
        row,
        ...(row.kind === 'file' ? { buttons: [DOWNLOAD_BUTTON] } : {}),
      }));
      if (!rows.some((r) => r.kind !== 'parent'))
        items.push({ label: '$(info) This directory is empty', alwaysShow: true, retry: true });
    } catch (err) {
      items = [
        {
          label: '$(warning) Could not list this directory (pick to try again)',
          detail: (err as Error).message,
          alwaysShow: true,
          retry: true,
        },
      ];
      if (address.path !== '')
        items.unshift({
          label: '$(arrow-up) ..',
          description: 'up one directory',
          row: { kind: 'parent', name: '..', label: '..', description: '' },
        });
    }
    if (mine !== generation) return;
    picker.items = items;
    picker.busy = false;
  };

  return new Promise((resolve) => {
    let settled = false;
    const finish = (choice: SandboxBrowseChoice | undefined) => {
      if (settled) return;
      settled = true;
      resolve(choice);
      picker.hide();
    };
    picker.onDidAccept(() => {
      const item = picker.selectedItems[0];
      if (!item) return;
      if (item.retry) return void show(current);
      const row = item.row;
      if (!row) return;
      if (row.kind === 'parent') return void show(sandboxParent(current) ?? current);
      const address = sandboxChild(current, row.name);
      if (row.kind === 'directory') return void show(address);
      finish({ action: 'open', address });
    });
    picker.onDidTriggerItemButton((e) => {
      if (e.item.row?.kind === 'file') finish({ action: 'download', address: sandboxChild(current, e.item.row.name) });
    });
    picker.onDidHide(() => {
      finish(undefined);
      picker.dispose();
    });
    picker.show();
    void show(start);
  });
}
