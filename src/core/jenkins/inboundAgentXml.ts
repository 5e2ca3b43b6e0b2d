import type { InboundAgentSpec } from './inboundAgentSpec';
import { JNLP_LAUNCHER_CLASS } from './jenkinsTypes';

/**
 * The body of `POST computer/createItem?name=<n>` with `Content-Type: application/xml` (Jenkins ≥ 2.539,
 * reference §4.3): the node's config.xml, root element `slave` (= `DumbSlave`). This path does not run
 * Jenkins' name check, which is why names are checked before (inboundAgentSpec).
 */
export function inboundAgentXml(spec: InboundAgentSpec): string {
  const text = (tag: string, value: string | number | boolean) => `<${tag}>${escapeXml(String(value))}</${tag}>`;
  return [
    "<?xml version='1.1' encoding='UTF-8'?>",
    '<slave>',
    `  ${text('name', spec.name)}`,
    `  ${text('description', spec.description)}`,
    `  ${text('remoteFS', spec.remoteFs)}`,
    `  ${text('numExecutors', spec.executors)}`,
    `  ${text('mode', spec.mode)}`,
    '  <retentionStrategy class="hudson.slaves.RetentionStrategy$Always"/>',
    `  <launcher class="${JNLP_LAUNCHER_CLASS}">`,
    '    <workDirSettings>',
    `      ${text('disabled', false)}`,
    `      ${text('internalDir', 'remoting')}`,
    `      ${text('failIfWorkDirIsMissing', false)}`,
    '    </workDirSettings>',
    `    ${text('webSocket', spec.webSocket)}`,
    '  </launcher>',
    `  ${text('label', spec.labelString)}`,
    '  <nodeProperties/>',
    '</slave>',
    '',
  ].join('\n');
}

function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}
