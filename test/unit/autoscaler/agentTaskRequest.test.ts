import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentTaskRequest } from '../../../src/core/scheduler/autoscaler/agentTaskRequest';
import type { AgentTemplate } from '../../../src/core/scheduler/autoscaler/agentTemplate';
import { readAgentTemplates } from '../../../src/core/scheduler/autoscaler/readAgentTemplates';
import { LaunchRequestError } from '../../../src/core/scheduler/launchRequestError';
import { validateLaunchRequest } from '../../../src/core/scheduler/placementConstraint';

const SECRET = '3f9c'.repeat(16);
function template(entry: Record<string, unknown>): AgentTemplate {
  const { templates, problems } = readAgentTemplates([{ name: 'linux', labels: ['linux'], ...entry }]);
  assert.deepEqual(problems, []);
  return templates[0]!;
}
const env = (request: ReturnType<typeof agentTaskRequest>) =>
  Object.fromEntries((request.command?.environment?.variables ?? []).map((v) => [v.name, v.value]));
const occurrences = (text: string, part: string) => text.split(part).length - 1;

describe('agentTaskRequest', () => {
  it('fetches agent.jar from the controller and runs the inbound agent, the secret only in the environment', () => {
    const request = agentTaskRequest(
      template({ cpus: 0.5, mem: 768, jvmArgs: '-Xmx512m', constraints: [['hostname', 'UNIQUE']], role: 'ci' }),
      'mesos-linux-k3f9-1',
      'https://ci.example.com/jenkins',
      SECRET,
    );
    assert.equal(request.id, 'mesos-linux-k3f9-1');
    assert.equal(request.name, 'mesos-linux-k3f9-1');
    assert.deepEqual(
      [request.cpus, request.mem, request.disk, request.role, request.group],
      [0.5, 768, undefined, 'ci', 'jenkins-agent:linux'],
    );
    assert.deepEqual(request.constraints, [['hostname', 'UNIQUE']]);
    assert.deepEqual(request.command?.uris, [
      { value: 'https://ci.example.com/jenkins/jnlpJars/agent.jar', extract: false, executable: false, cache: false },
    ]);
    assert.deepEqual(env(request), {
      JENKINS_URL: 'https://ci.example.com/jenkins/',
      JENKINS_AGENT_NAME: 'mesos-linux-k3f9-1',
      JENKINS_AGENT_WORKDIR: 'jenkins',
      JENKINS_SECRET: SECRET,
      REMOTING_OPTS: '-noReconnect',
      JENKINS_WEB_SOCKET: 'true',
      JENKINS_JAVA_OPTS: '-Xmx512m',
    });
    const value = request.command?.value ?? '';
    assert.equal(request.command?.shell, true);
    assert.match(
      value,
      /exec java -Xmx512m -jar "\$\{MESOS_SANDBOX:-\.\}\/agent\.jar" -url "\$JENKINS_URL" -name "\$JENKINS_AGENT_NAME" -secret @\/dev\/fd\/3 -workDir "\$JENKINS_AGENT_WORKDIR" -webSocket -noReconnect 3<<EOF\n\$JENKINS_SECRET\nEOF$/,
    );
    assert.equal(value.includes(SECRET), false, 'the secret is not in the command line');
    assert.equal(occurrences(JSON.stringify(request), SECRET), 1, 'the secret appears once: in JENKINS_SECRET');
    assert.equal(request.container, undefined);
    assert.doesNotThrow(() => validateLaunchRequest(request));
  });

  it('an image without a command runs its entrypoint with the agent settings in its environment', () => {
    const mesos = agentTaskRequest(
      template({ image: 'jenkins/inbound-agent', webSocket: false }),
      'mesos-linux-a-2',
      'http://ci:8080/',
      SECRET,
    );
    assert.deepEqual(mesos.container, {
      type: 'MESOS',
      mesos: { image: { type: 'DOCKER', docker: { name: 'jenkins/inbound-agent' } } },
    });
    assert.deepEqual([mesos.command?.shell, mesos.command?.value, mesos.command?.uris], [false, undefined, undefined]);
    assert.equal(env(mesos).JENKINS_AGENT_WORKDIR, '/home/jenkins/agent');
    assert.equal(env(mesos).JENKINS_WEB_SOCKET, undefined);
    const docker = agentTaskRequest(
      template({ image: 'jenkins/inbound-agent', containerizer: 'docker' }),
      'mesos-linux-a-3',
      'http://ci:8080/',
      SECRET,
    );
    assert.deepEqual(docker.container, { type: 'DOCKER', docker: { image: 'jenkins/inbound-agent', network: 'HOST' } });
  });

  it('a custom command runs after the secret was moved out of the environment', () => {
    const request = agentTaskRequest(
      template({ command: 'node agent.jar -url "$JENKINS_URL"', disk: 100 }),
      'mesos-linux-a-4',
      'http://ci/',
      SECRET,
    );
    const value = request.command?.value ?? '';
    assert.ok(value.startsWith('JENKINS_SECRET_=$JENKINS_SECRET; unset JENKINS_SECRET;'));
    assert.ok(value.endsWith('\nnode agent.jar -url "$JENKINS_URL"'));
    assert.equal(request.disk, 100);
    assert.equal(request.command?.uris?.length, 1);
  });

  it('refuses a Jenkins URL with credentials or of another scheme, and a bad secret, without echoing the secret', () => {
    const t = template({});
    const refused = (url: string, secret: string, problem: RegExp) =>
      assert.throws(
        () => agentTaskRequest(t, 'mesos-linux-a-5', url, secret),
        (err: unknown) =>
          err instanceof LaunchRequestError && problem.test(err.message) && !err.message.includes(SECRET),
      );
    refused('https://admin:token@ci.example.com/', SECRET, /carries credentials/);
    refused('ftp://ci.example.com/', SECRET, /not http\(s\)/);
    refused('not a url', SECRET, /is not a URL/);
    refused('https://ci.example.com/', '', /secret is empty/);
    refused('https://ci.example.com/', `${SECRET}\n`, /white space/);
  });
});
