import type { JenkinsClient } from '../../jenkins/jenkinsClient';

/**
 * What the autoscaler driver needs from Jenkins: a JenkinsClient is one; tests may pass a stand-in. Every
 * call takes an AbortSignal and fails with a JenkinsError; `session` is the last `X-Jenkins-Session` seen.
 */
export type AutoscalerJenkins = Pick<
  JenkinsClient,
  | 'queue'
  | 'computers'
  | 'computer'
  | 'createInboundAgent'
  | 'agentSecret'
  | 'setOffline'
  | 'setOnline'
  | 'deleteNode'
  | 'session'
>;
