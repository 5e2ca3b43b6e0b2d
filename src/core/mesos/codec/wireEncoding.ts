/** The two body encodings Mesos speaks on its v1 APIs. */
export type WireEncoding = 'json' | 'protobuf';

/**
 * The exact `Content-Type` / `Accept` values. Mesos compares them by string equality, so nothing may be
 * appended (`application/json; charset=utf-8` gets 415 Unsupported Media Type).
 */
export const MEDIA_TYPE = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
} as const;

/**
 * The encoding a response's `Content-Type` announces, or undefined for anything else (an error page,
 * `text/plain` from Mesos). Parameters are ignored here because a proxy may add them to a response.
 */
export function wireEncodingOfContentType(contentType: string | null | undefined): WireEncoding | undefined {
  const mediaType = contentType?.split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType === MEDIA_TYPE.json) return 'json';
  if (mediaType === MEDIA_TYPE.protobuf) return 'protobuf';
  return undefined;
}
