import type { InboundAgentSpec } from './inboundAgentSpec';
import { DUMB_SLAVE_CLASS, JNLP_LAUNCHER_CLASS, type JenkinsNodeCreateSpec } from './jenkinsTypes';

/**
 * The body of `POST computer/doCreateItem` (reference §4.2): `name`, `type` and the `json` object stapler
 * binds onto a `DumbSlave` with an inbound (`JNLPLauncher`) launcher. Works on every Jenkins version the
 * client supports. Retention is `Always`: the autoscaler, not Jenkins, decides when the node goes.
 */
export function inboundAgentFormJson(spec: InboundAgentSpec): JenkinsNodeCreateSpec {
  return {
    nodeDescription: spec.description,
    numExecutors: spec.executors,
    remoteFS: spec.remoteFs,
    labelString: spec.labelString,
    mode: spec.mode,
    launcher: {
      $class: JNLP_LAUNCHER_CLASS,
      webSocket: spec.webSocket,
      tunnel: '',
      // Without workDirSettings the node gets the legacy "work directory disabled" (reference §7.17).
      workDirSettings: { disabled: false, workDirPath: '', internalDir: 'remoting', failIfWorkDirIsMissing: false },
    },
    retentionStrategy: { $class: 'hudson.slaves.RetentionStrategy$Always' },
    nodeProperties: { 'stapler-class-bag': 'true' },
  };
}

export function inboundAgentForm(spec: InboundAgentSpec): URLSearchParams {
  return new URLSearchParams({
    name: spec.name,
    type: DUMB_SLAVE_CLASS,
    json: JSON.stringify(inboundAgentFormJson(spec)),
  });
}
