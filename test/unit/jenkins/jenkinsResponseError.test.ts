import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConnectionError, HttpStatusError, RequestAbortedError, TimeoutError } from '../../../src/core/http/errors';
import { JenkinsError } from '../../../src/core/jenkins/jenkinsError';
import { permissionTitle } from '../../../src/core/jenkins/jenkinsPermission';
import {
  isCrumbRefusal,
  isLoginPage,
  isLoginRedirect,
  jenkinsErrorFromResponse,
  type JenkinsRequestContext,
  type JenkinsResponse,
  unexpectedBodyError,
} from '../../../src/core/jenkins/jenkinsResponseError';
import { jenkinsErrorFromTransport } from '../../../src/core/jenkins/jenkinsTransportError';
import { isLoginLocation, looksLikeLoginPage } from '../../../src/core/jenkins/loginPage';

const context: JenkinsRequestContext = {
  endpoint: 'https://ci.example.com',
  method: 'POST',
  url: new URL('https://ci.example.com/computer/doCreateItem'),
  operation: 'create the agent node ‘a1’',
  permission: 'hudson.model.Computer.Create',
  user: 'svc',
  sentCredentials: true,
};

function response(status: number, headers: Record<string, string> = {}, body = ''): JenkinsResponse {
  return { status, statusText: '', headers: new Headers(headers), body: Buffer.from(body, 'utf8') };
}

const html = (title: string, text = '') =>
  `<!DOCTYPE html><html><head><title>${title} [Jenkins]</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`;

test('401 says the credentials were refused and points at Set Credentials…', () => {
  const err = jenkinsErrorFromResponse(response(401, { 'www-authenticate': 'Basic realm="Jenkins"' }), context);
  assert.equal(err.kind, 'unauthorized');
  assert.equal(err.status, 401);
  assert.equal(err.needsCredentials, true);
  assert.match(err.message, /^Jenkins at https:\/\/ci\.example\.com refused the credentials of the user ‘svc’ \(401/);
  assert.match(err.nextStep, /Set Credentials…/);
  assert.ok(err.cause instanceof HttpStatusError && err.cause.status === 401);
  const none = jenkinsErrorFromResponse(response(401), { ...context, user: undefined, sentCredentials: false });
  assert.match(none.message, /none are configured/);
});

test('403 as anonymous, as a user lacking a permission, and for a missing crumb are told apart', () => {
  const anonymous = jenkinsErrorFromResponse(
    response(
      403,
      {
        'x-you-are-authenticated-as': 'anonymous',
        'x-required-permission': 'hudson.model.Hudson.Read',
        'content-type': 'text/html',
      },
      "<html><script>window.location.replace('/login?from=%2Fqueue')</script>Authentication required</html>",
    ),
    { ...context, user: undefined, sentCredentials: false },
  );
  assert.equal(anonymous.kind, 'anonymous');
  assert.equal(anonymous.permission, 'hudson.model.Hudson.Read');
  assert.match(anonymous.message, /as anonymous .*needs Overall\/Read/);
  assert.match(anonymous.nextStep, /Set Credentials…/);
  assert.match(
    jenkinsErrorFromResponse(response(403, { 'x-you-are-authenticated-as': 'anonymous' }), context).nextStep,
    /proxy .* drops the Authorization header/,
  );

  const forbidden = jenkinsErrorFromResponse(
    response(
      403,
      {
        'x-you-are-authenticated-as': 'svc',
        'x-required-permission': 'hudson.model.Computer.Create',
        'x-permission-implied-by': 'hudson.model.Hudson.Administer',
        'content-type': 'text/html;charset=utf-8',
      },
      html('Access Denied', 'svc is missing the Agent/Create permission'),
    ),
    context,
  );
  assert.equal(forbidden.kind, 'forbidden');
  assert.equal(forbidden.permission, 'hudson.model.Computer.Create');
  assert.equal(forbidden.reason, 'svc is missing the Agent/Create permission');
  assert.match(
    forbidden.message,
    /^The user ‘svc’ may not create the agent node ‘a1’ on Jenkins at .*: the Agent\/Create permission is missing/,
  );
  assert.match(
    forbidden.nextStep,
    /grant Agent\/Create \(hudson\.model\.Computer\.Create\) or Overall\/Administer to the user ‘svc’/,
  );
  // Without the header, the operation's own permission is named.
  assert.equal(
    jenkinsErrorFromResponse(response(403, {}, html('Access Denied')), context).permission,
    'hudson.model.Computer.Create',
  );

  const crumbPage = response(
    403,
    { 'content-type': 'text/html' },
    html('Error 403 No valid crumb was included in the request'),
  );
  assert.equal(isCrumbRefusal(crumbPage), true);
  assert.equal(isCrumbRefusal(response(403, {}, html('Access Denied'))), false);
  assert.equal(jenkinsErrorFromResponse(crumbPage, context).kind, 'crumb');
});

test('400 reasons come from X-Error (UTF-8 bytes in a Latin-1 header); a taken name is already-exists', () => {
  const taken = Buffer.from('Agent called ‘a1’ already exists', 'utf8').toString('latin1');
  const err = jenkinsErrorFromResponse(
    response(400, { 'x-error': taken, 'content-type': 'text/html' }, html('Error')),
    context,
  );
  assert.equal(err.kind, 'already-exists');
  assert.equal(err.reason, 'Agent called ‘a1’ already exists');
  assert.match(err.nextStep, /must never be reused/);
  const bad = jenkinsErrorFromResponse(response(400, { 'x-error': 'caf\u00e9 is not allowed' }), context);
  assert.equal(bad.kind, 'bad-request');
  assert.equal(bad.reason, 'caf\u00e9 is not allowed', 'a header that is not UTF-8 bytes stays as it came');
});

test('404 names what is missing; 5xx are retryable; other statuses are unexpected', () => {
  const missing = jenkinsErrorFromResponse(response(404), {
    ...context,
    method: 'GET',
    missing: { what: 'inbound agent node ‘a1’', nextStep: 'Create it first' },
  });
  assert.equal(missing.kind, 'not-found');
  assert.match(
    missing.message,
    /has no inbound agent node ‘a1’ \(404 Not Found for GET https:\/\/ci\.example\.com\/computer\/doCreateItem\)\. Create it first$/,
  );
  assert.match(jenkinsErrorFromResponse(response(404), context).nextStep, /path prefix/);
  for (const status of [500, 502, 503]) {
    const err = jenkinsErrorFromResponse(
      response(status, { 'content-type': 'text/html' }, html('Oops!', 'A problem occurred')),
      context,
    );
    assert.equal(err.kind, 'server-error');
    assert.equal(err.retryable, true);
    assert.equal(err.reason, 'Oops!');
  }
  assert.equal(jenkinsErrorFromResponse(response(405), context).kind, 'unexpected-status');
});

test('a redirect to a login page is login-required; another redirect says where to point the URL', () => {
  const login = response(302, { location: 'https://ci.example.com/login?from=%2Fcomputer%2FdoCreateItem' });
  assert.equal(isLoginRedirect(login, context.url), true);
  const err = jenkinsErrorFromResponse(login, context);
  assert.equal(err.kind, 'login-required');
  assert.equal(err.location, 'https://ci.example.com/login?from=%2Fcomputer%2FdoCreateItem');
  assert.equal(err.needsCredentials, true);
  assert.match(err.message, /with a redirect to the login page https:\/\/ci\.example\.com\/login\?from=/);

  const sso = response(302, { location: 'https://idp.example.com/oauth2/authorize?client_id=ci&redirect_uri=x' });
  assert.equal(jenkinsErrorFromResponse(sso, context).kind, 'login-required');

  const https = response(301, { location: 'https://ci.example.com:8443/computer/doCreateItem' });
  const moved = jenkinsErrorFromResponse(https, context);
  assert.equal(moved.kind, 'redirect');
  assert.match(moved.nextStep, /Set the Jenkins URL to https:\/\/ci\.example\.com:8443/);
  assert.equal(isLoginRedirect(response(302, { location: '/computer/' }), context.url), false, 'a form post’s success');
});

test('login pages and locations are recognised, ordinary pages are not', () => {
  assert.equal(isLoginLocation(new URL('https://ci/login?from=%2F')), true);
  assert.equal(isLoginLocation(new URL('https://ci/securityRealm/commenceLogin?from=%2F')), true);
  assert.equal(
    isLoginLocation(new URL('https://sso.example.com/realms/x/protocol/openid-connect/auth?client_id=a')),
    true,
  );
  assert.equal(isLoginLocation(new URL('https://ci/computer/')), false);
  assert.equal(isLoginLocation(new URL('https://ci/computer/a1/')), false);
  assert.equal(looksLikeLoginPage('<form action="j_spring_security_check"><input name="j_username">'), true);
  assert.equal(looksLikeLoginPage('<title>Sign in [Jenkins]</title>'), true);
  assert.equal(looksLikeLoginPage('<form><input type="password" name="pw"></form>'), true);
  assert.equal(looksLikeLoginPage('<title>Dashboard [Jenkins]</title><p>Welcome</p>'), false);
  assert.equal(isLoginPage(response(200, { 'content-type': 'text/html' }, '<title>Log in</title>')), true);
  assert.equal(isLoginPage(response(200, { 'content-type': 'application/json' }, '{"title":"Log in"}')), false);
});

test('a body that is not JSON is described; a JNLP body is never quoted', () => {
  const page = unexpectedBodyError(response(200, { 'content-type': 'text/html' }, html('Dashboard')), context, 'JSON');
  assert.equal(page.kind, 'not-json');
  assert.match(page.message, /with an HTML page \("Dashboard"\) instead of JSON/);
  const secret = 'ab'.repeat(32);
  const jnlp = unexpectedBodyError(
    response(200, { 'content-type': 'text/plain' }, `secret ${secret}`),
    context,
    'a JNLP file',
  );
  assert.equal(jnlp.kind, 'bad-response');
  assert.ok(!jnlp.message.includes(secret));
});

test('permission ids read as the security matrix names them', () => {
  assert.equal(permissionTitle('hudson.model.Computer.Create'), 'Agent/Create');
  assert.equal(permissionTitle('hudson.model.Hudson.Administer'), 'Overall/Administer');
  assert.equal(permissionTitle('hudson.model.Item.Cancel'), 'Job/Cancel');
  assert.equal(permissionTitle('org.example.Plugin.Use'), 'Plugin/Use');
  assert.equal(permissionTitle('weird'), 'weird');
});

test('transport failures become JenkinsErrors; a cancellation stays an AbortError', () => {
  const base = {
    endpoint: 'https://ci.example.com',
    operation: 'read the build queue',
    method: 'GET',
    url: 'https://ci.example.com/queue/api/json',
  };
  const deadline = jenkinsErrorFromTransport(
    new TimeoutError({ endpoint: base.endpoint }, 'deadline', undefined, 'late', 'wait'),
    { ...base, timeoutMs: 250 },
  );
  assert.ok(deadline instanceof JenkinsError);
  assert.equal(deadline.kind, 'timeout');
  assert.equal(deadline.retryable, true);
  assert.match(deadline.message, /did not answer within 250 ms when asked to read the build queue/);
  const refused = jenkinsErrorFromTransport(
    new ConnectionError({ endpoint: base.endpoint }, 'refused', 'ECONNREFUSED', 'nothing listens', 'Start it'),
    base,
  );
  assert.ok(refused instanceof JenkinsError && refused.kind === 'connection');
  assert.equal(refused.nextStep, 'Start it');
  assert.match(
    refused.message,
    /^Could not read the build queue on Jenkins at https:\/\/ci\.example\.com: nothing listens\. Start it$/,
  );
  const aborted = jenkinsErrorFromTransport(new RequestAbortedError({ endpoint: base.endpoint }, 'signal'), base);
  assert.ok(aborted instanceof RequestAbortedError);
  assert.equal(aborted.name, 'AbortError');
});
