/** One thing wrong with a task definition, at its JSON path (`tasks[1].cpus`; '' is the whole document). */
export interface TaskDefinitionProblem {
  readonly path: string;
  readonly message: string;
  /** 1-based; given for syntax errors, where the path means nothing yet. */
  readonly line?: number;
  readonly column?: number;
}

/** `tasks[1].cpus: must be > 0 (got 0)`, or `line 3, column 7: …` for a syntax error. */
export function formatTaskDefinitionProblem(problem: TaskDefinitionProblem): string {
  if (problem.line !== undefined) return `line ${problem.line}, column ${problem.column ?? 1}: ${problem.message}`;
  return problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
}
