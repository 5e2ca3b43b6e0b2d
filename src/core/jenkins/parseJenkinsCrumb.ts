import type { Crumb } from './crumbCache';
import { JenkinsJsonReader } from './jenkinsJsonReader';
import { JenkinsShapeError } from './jenkinsShapeError';

/** `crumbIssuer/api/json` checked: a non-empty crumb and a header name that HTTP can carry. */
export function parseJenkinsCrumb(value: unknown): Crumb {
  const read = new JenkinsJsonReader('the CSRF crumb (crumbIssuer/api/json)');
  const o = read.object(value, '');
  const crumb = read.string(o, 'crumb', '');
  const field = read.string(o, 'crumbRequestField', '');
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(field)) {
    throw new JenkinsShapeError(
      'the CSRF crumb (crumbIssuer/api/json)',
      'crumbRequestField',
      'is not a valid header name',
    );
  }
  if (crumb === '' || /[\r\n]/.test(crumb)) {
    throw new JenkinsShapeError('the CSRF crumb (crumbIssuer/api/json)', 'crumb', 'is empty or spans lines');
  }
  return { field, crumb };
}
