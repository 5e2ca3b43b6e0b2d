import { describeJsonValue } from '../util/describeJsonValue';
import { JenkinsShapeError } from './jenkinsShapeError';

/**
 * Typed reads of Jenkins JSON that fail with the exact place of the problem. A key that was asked for in
 * `tree=` but is absent is read as `undefined` where Jenkins omits it for some classes (stapler skips
 * missing names silently), and as an error where every class has it.
 */
export type JsonObject = Readonly<Record<string, unknown>>;

export class JenkinsJsonReader {
  constructor(
    /** What is being read, for messages: "the build queue". */
    readonly document: string,
  ) {}

  object(value: unknown, path: string): JsonObject {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as JsonObject;
    throw this.wrong(path, 'an object', value);
  }

  array(value: unknown, path: string): readonly unknown[] {
    if (Array.isArray(value)) return value;
    throw this.wrong(path, 'an array', value);
  }

  /** An array that may be absent (older controllers, classes without the key): absent reads as []. */
  optionalArray(value: unknown, path: string): readonly unknown[] {
    return value === undefined || value === null ? [] : this.array(value, path);
  }

  string(object: JsonObject, key: string, path: string): string {
    const value = object[key];
    if (typeof value === 'string') return value;
    throw this.wrong(jsonPath(path, key), 'a string', value);
  }

  optionalString(object: JsonObject, key: string, path: string): string | undefined {
    const value = object[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value;
    throw this.wrong(jsonPath(path, key), 'a string', value);
  }

  /** A string that Jenkins writes as null when unset (`why`, `labelExpression`, `description`). */
  nullableString(object: JsonObject, key: string, path: string): string | null | undefined {
    const value = object[key];
    if (value === undefined || value === null || typeof value === 'string') return value;
    throw this.wrong(jsonPath(path, key), 'a string or null', value);
  }

  number(object: JsonObject, key: string, path: string): number {
    const value = object[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    throw this.wrong(jsonPath(path, key), 'a number', value);
  }

  optionalNumber(object: JsonObject, key: string, path: string): number | undefined {
    return object[key] === undefined ? undefined : this.number(object, key, path);
  }

  boolean(object: JsonObject, key: string, path: string): boolean {
    const value = object[key];
    if (typeof value === 'boolean') return value;
    throw this.wrong(jsonPath(path, key), 'true or false', value);
  }

  optionalBoolean(object: JsonObject, key: string, path: string): boolean | undefined {
    return object[key] === undefined ? undefined : this.boolean(object, key, path);
  }

  /** An array of strings that may be absent (absent reads as []). */
  strings(value: unknown, path: string): string[] {
    return this.optionalArray(value, path).map((item, i) => {
      if (typeof item === 'string') return item;
      throw this.wrong(`${path}[${i}]`, 'a string', item);
    });
  }

  private wrong(path: string, expected: string, value: unknown): JenkinsShapeError {
    return new JenkinsShapeError(this.document, path, `is ${describe(value)}, expected ${expected}`);
  }
}

/** `path.key`, or `key` at the top. */
export function jsonPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function describe(value: unknown): string {
  return value === undefined ? 'missing' : describeJsonValue(value);
}
