import type * as vscode from 'vscode';
import { formatDetail, type LogLevel, type LogSink } from '../../core/log/logSink';

/**
 * Connects the core's log sink to the extension's one LogOutputChannel. The channel owns level
 * filtering (the user sets it with "Developer: Set Log Level…"), so every record is passed on.
 */
export class OutputChannelSink implements LogSink {
  constructor(private readonly channel: vscode.LogOutputChannel) {}

  log(level: LogLevel, component: string, message: string, detail?: unknown): void {
    const line = `[${component}] ${message}${detail === undefined ? '' : ' ' + formatDetail(detail)}`;
    this.channel[level](line);
  }
}
