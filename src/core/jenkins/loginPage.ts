/**
 * Recognising a login page where the Jenkins API should have answered. Jenkins' own security realm and
 * the single sign-on front-ends put before it (OAuth2/OIDC proxies, SAML, CAS, ADFS) answer an
 * unauthenticated API call with a redirect to a login page or with the page itself (reference §7.3);
 * the caller then needs credentials, not a retry.
 */

/** A path segment that only login or identity-provider URLs have. */
const LOGIN_SEGMENT =
  /(?:^|\/)(?:login|log-in|logon|signin|sign-in|sign_in|sso|saml2?|oauth2?|openid-connect|oidc|cas|adfs|authorize|auth|commenceLogin|j_spring_security_check|j_acegi_security_check|securityRealm)(?:[/.;]|$)/i;
/** Query parameters a login redirect carries to come back. */
const LOGIN_QUERY_KEYS = ['from', 'redirect_uri', 'SAMLRequest', 'returnTo', 'return_to', 'rd', 'service', 'client_id'];

/** Whether a redirect target is a login or identity-provider page. */
export function isLoginLocation(target: URL): boolean {
  if (LOGIN_SEGMENT.test(target.pathname)) return true;
  // `…?from=/queue/api/json` alone is Jenkins' own way back to what was asked after a login.
  return LOGIN_QUERY_KEYS.some((key) => target.searchParams.has(key)) && /log|sign|auth/i.test(target.href);
}

/** Whether an HTML page is a login form (Jenkins' own, or a single sign-on page). */
export function looksLikeLoginPage(html: string): boolean {
  const head = html.slice(0, 64 * 1024);
  return (
    /j_(?:username|password|security_check|spring_security_check)/.test(head) ||
    /<input[^>]+type\s*=\s*["']?password/i.test(head) ||
    /<title[^>]*>[^<]*(?:sign[\s-]?in|log[\s-]?in|authenticat)/i.test(head) ||
    /[/"']login\?from=/.test(head)
  );
}
