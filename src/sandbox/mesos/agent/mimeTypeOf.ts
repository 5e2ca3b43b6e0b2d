import { extname } from 'node:path';

/**
 * The Content-Type `/files/download` sends: looked up by extension as libprocess does (its mime table),
 * `application/octet-stream` otherwise. The common sandbox files only: logs, text and archives.
 */
export function mimeTypeOf(fileName: string): string {
  return TYPES.get(extname(fileName).toLowerCase()) ?? 'application/octet-stream';
}

const TYPES: ReadonlyMap<string, string> = new Map([
  ['.txt', 'text/plain'],
  ['.log', 'text/plain'],
  ['.csv', 'text/csv'],
  ['.html', 'text/html'],
  ['.htm', 'text/html'],
  ['.css', 'text/css'],
  ['.js', 'application/javascript'],
  ['.json', 'application/json'],
  ['.xml', 'application/xml'],
  ['.pdf', 'application/pdf'],
  ['.gz', 'application/x-gzip'],
  ['.tgz', 'application/x-gzip'],
  ['.tar', 'application/x-tar'],
  ['.zip', 'application/zip'],
  ['.jar', 'application/java-archive'],
  ['.png', 'image/png'],
  ['.jpg', 'image/jpeg'],
  ['.jpeg', 'image/jpeg'],
  ['.gif', 'image/gif'],
  ['.svg', 'image/svg+xml'],
]);
