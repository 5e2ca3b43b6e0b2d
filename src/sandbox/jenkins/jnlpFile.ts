import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The `computer/<name>/jenkins-agent.jnlp` file (reference §4.5): a JNLP document whose `<argument>`s are
 * the secret, the node name, then agent options and `-url <root>`. With `?encrypt=true` it is served
 * without authentication, AES/CFB8-encrypted with the first 16 bytes of the secret, the 16-byte IV first;
 * that is how `agent.jar -jnlpUrl … -secret …` bootstraps.
 */
export interface JnlpContent {
  readonly secret: string;
  readonly name: string;
  /** Options after the name, e.g. `-webSocket`, `-workDir DIR`, `-internalDir remoting`. */
  readonly options: readonly string[];
  readonly url: string;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function renderJnlp(content: JnlpContent): string {
  const args = [content.secret, content.name, ...content.options, '-url', content.url];
  const codebase = `${content.url}computer/${encodeURIComponent(content.name)}/`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<jnlp codebase="${xmlEscape(codebase)}" spec="1.0+">`,
    '  <information>',
    `    <title>Agent for ${xmlEscape(content.name)}</title>`,
    '    <vendor>Jenkins project</vendor>',
    '    <homepage href="https://jenkins.io/"/>',
    '  </information>',
    '  <security><all-permissions/></security>',
    '  <resources>',
    '    <j2se version="1.8+"/>',
    `    <jar href="${xmlEscape(content.url)}jnlpJars/remoting.jar"/>`,
    '  </resources>',
    '  <application-desc main-class="hudson.remoting.jnlp.Main">',
    ...args.map((a) => `    <argument>${xmlEscape(a)}</argument>`),
    '  </application-desc>',
    '</jnlp>',
    '',
  ].join('\n');
}

/** The `<argument>` values in order (the first is the secret, the second the node name). */
export function parseJnlpArguments(xml: string): string[] {
  const out: string[] = [];
  for (const m of xml.matchAll(/<argument>([\s\S]*?)<\/argument>/g)) {
    out.push(
      (m[1] as string)
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&'),
    );
  }
  return out;
}

function keyFromSecret(secret: string): Buffer {
  if (!/^[0-9a-f]{32,}$/i.test(secret)) throw new Error('an agent secret is at least 32 hexadecimal characters');
  return Buffer.from(secret.slice(0, 32), 'hex');
}

export function encryptJnlp(xml: string, secret: string): Buffer {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-128-cfb8', keyFromSecret(secret), iv);
  return Buffer.concat([iv, cipher.update(xml, 'utf8'), cipher.final()]);
}

/** Decrypts an `?encrypt=true` JNLP; a wrong secret yields garbage, which parseJnlpArguments then rejects. */
export function decryptJnlp(data: Uint8Array, secret: string): string {
  if (data.length < 16) throw new Error('the encrypted JNLP file is shorter than its IV');
  const decipher = createDecipheriv('aes-128-cfb8', keyFromSecret(secret), Buffer.from(data.subarray(0, 16)));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
}
