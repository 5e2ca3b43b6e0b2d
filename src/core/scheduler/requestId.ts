import { randomBytes } from 'node:crypto';

const SLUG_MAX = 40;
const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A task name as it may appear in a request (and so in a Mesos task id): lower case letters, digits and
 * single dashes. Mesos forbids slashes and whitespace in ids, and dots would be read as the attempt number
 * (task ids are `${requestId}.${attempt}`).
 */
export function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/, '');
  return slug || 'task';
}

/** Six random characters from [a-z0-9]: ~2e9 values, so two pending requests of one name never meet. */
export function randomSuffix(): string {
  const bytes = randomBytes(6);
  let out = '';
  for (const byte of bytes) out += SUFFIX_ALPHABET[byte % SUFFIX_ALPHABET.length];
  return out;
}

/** `${slug(name)}-${random}`: unique among pending and running requests, and still readable. */
export function newRequestId(name: string, suffix: () => string = randomSuffix): string {
  return `${slugOf(name)}-${suffix()}`;
}
