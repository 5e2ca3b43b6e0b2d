import * as vscode from 'vscode';

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();

/**
 * Rich tooltips of tree rows. Everything that comes from a master (names, labels, messages) goes in
 * through appendText, which escapes Markdown, so a task name cannot inject links or formatting; the
 * MarkdownString is never trusted (no command links).
 */
export class TooltipBuilder {
  private readonly md = new vscode.MarkdownString('', true);

  title(text: string, icon?: string): this {
    if (icon !== undefined) this.md.appendMarkdown(`$(${icon}) `);
    this.md.appendMarkdown('**');
    this.md.appendText(oneLine(text));
    this.md.appendMarkdown('**\n\n');
    return this;
  }

  field(name: string, value: string | number | undefined): this {
    if (value === undefined || value === '') return this;
    this.md.appendMarkdown(`${name}: `);
    this.md.appendText(oneLine(String(value)));
    this.md.appendMarkdown('  \n');
    return this;
  }

  text(value: string): this {
    this.md.appendText(value);
    this.md.appendMarkdown('\n\n');
    return this;
  }

  separator(): this {
    this.md.appendMarkdown('\n\n---\n\n');
    return this;
  }

  build(): vscode.MarkdownString {
    return this.md;
  }
}
