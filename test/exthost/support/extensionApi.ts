import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MesosOpsApi } from '../../../src/extension';

/** The extension's API, once the extension host has activated it (activating it if nothing has yet). */
export async function extensionApi(): Promise<MesosOpsApi> {
  const ext = vscode.extensions.getExtension<MesosOpsApi>('mesos-ops.mesos-ops');
  assert.ok(ext);
  return ext.activate();
}
