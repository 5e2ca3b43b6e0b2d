import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { labelMatches } from '../../../src/core/jenkins/labelExpression';
import { parseLabelExpression } from '../../../src/core/jenkins/labelExpressionParser';
import { readAgentTemplates } from '../../../src/core/scheduler/autoscaler/readAgentTemplates';
import { sandboxAgentCommand } from '../../../src/sandbox/jenkins/sandboxAgentCommand';
import { SANDBOX_WORKLOAD_LABELS, sandboxAgentTemplate } from '../../../src/sandbox/jenkins/sandboxAgentTemplate';

// The template "try it" gives the autoscaler: a valid setting entry, serving every label of the sandbox's
// random workload, starting the sandbox agent with the program it is given.

describe('sandboxAgentTemplate', () => {
  it('is a valid mesos.jenkins.agentTemplates entry whose agents run the sandbox agent', () => {
    const { templates, problems } = readAgentTemplates([sandboxAgentTemplate({ node: '/opt/node/bin/node' })]);
    assert.deepEqual(problems, []);
    assert.equal(templates.length, 1);
    const template = templates[0]!;
    assert.equal(template.command, sandboxAgentCommand('/opt/node/bin/node'));
    assert.ok(template.maxAgents > 0, 'the template is enabled');
    assert.equal(template.servesUnlabeled, false, 'the workload has no unlabeled builds');
  });

  it("serves every label of the sandbox's random workload", () => {
    const template = readAgentTemplates([sandboxAgentTemplate({ node: 'node' })]).templates[0]!;
    const atoms = new Set(template.labels);
    for (const label of SANDBOX_WORKLOAD_LABELS) {
      assert.equal(labelMatches(parseLabelExpression(label), atoms), true, `${label} is served`);
    }
    assert.equal(labelMatches(parseLabelExpression('windows'), atoms), false);
  });

  it('under Electron, the task runs the editor binary as Node', () => {
    const plain = sandboxAgentTemplate({ node: '/usr/share/code/code' }).command as string;
    const electron = sandboxAgentTemplate({ node: '/usr/share/code/code', electron: true }).command as string;
    assert.doesNotMatch(plain, /ELECTRON_RUN_AS_NODE/);
    assert.equal(electron, `export ELECTRON_RUN_AS_NODE=1\n${plain}`);
    assert.deepEqual(readAgentTemplates([sandboxAgentTemplate({ node: 'x', electron: true })]).problems, []);
  });
});
