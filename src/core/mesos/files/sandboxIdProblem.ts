/**
 * What is wrong with an id (agent, framework, executor or task) as one directory of a sandbox path, or
 * undefined when nothing is. Mesos refuses such ids at launch (src/common/validation.cpp), so one seen here
 * came from somewhere else; used as it is, it would walk out of the sandbox path.
 */
export function sandboxIdProblem(id: string): string | undefined {
  return id === ''
    ? 'is empty'
    : id === '.' || id === '..'
      ? `is ${JSON.stringify(id)}`
      : id.includes('/')
        ? 'contains "/"'
        : id.includes('\0')
          ? 'contains a NUL character'
          : undefined;
}
