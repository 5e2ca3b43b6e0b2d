import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AGENT_TEMPLATES_SETTING_SCHEMA } from '../../../src/core/scheduler/autoscaler/agentTemplatesSchema';
import {
  AGENT_TEMPLATE_DEFAULTS,
  AGENT_TEMPLATE_KEYS,
  readAgentTemplates,
} from '../../../src/core/scheduler/autoscaler/readAgentTemplates';

describe('agent templates from settings', () => {
  it('reads good entries with their defaults and keeps them when another entry is bad', () => {
    const { templates, problems } = readAgentTemplates([
      { name: 'linux', labels: 'mesos linux' },
      { name: 'broken', labels: ['x'], cpus: 'two' },
      {
        name: 'docker',
        labels: ['docker'],
        image: 'jenkins/inbound-agent:latest',
        executors: 2,
        constraints: [['os', 'LIKE', 'linux.*']],
      },
    ]);
    assert.deepEqual(templates[0], {
      name: 'linux',
      labels: ['mesos', 'linux'],
      cpus: 1,
      mem: 1024,
      disk: 0,
      executors: 1,
      maxAgents: 5,
      idleMinutes: 5,
      servesUnlabeled: false,
      containerizer: 'mesos',
      jvmArgs: '',
      constraints: [],
      remoteFs: 'jenkins',
      webSocket: true,
    });
    assert.equal(templates[1]!.name, 'docker');
    assert.equal(templates[1]!.remoteFs, '/home/jenkins/agent');
    assert.deepEqual(templates[1]!.constraints, [['os', 'LIKE', 'linux.*']]);
    assert.deepEqual(problems, [
      {
        index: 1,
        name: 'broken',
        message:
          'Template "broken": "cpus" must be a number above 0, got "two". The template is not used until this is fixed.',
      },
    ]);
  });

  it('says clearly what is wrong with each entry', () => {
    const { templates, problems } = readAgentTemplates([
      { name: 'a', labels: ['x'] },
      { name: 'a', labels: ['y'] },
      { labels: ['x'] },
      'linux',
      { name: 'Linux Big', labels: ['x'] },
      { name: 'typo', labels: ['x'], maxAgent: 3 },
      { name: 'nolabels' },
      { name: 'spaces', labels: ['linux docker'] },
      { name: 'execs', labels: ['x'], executors: 1.5 },
      { name: 'cons', labels: ['x'], constraints: [['rack', 'NEAR', 'r1']] },
      { name: 'maxper', labels: ['x'], constraints: [['hostname', 'MAX_PER']] },
      { name: 'cz', labels: ['x'], containerizer: 'docker' },
      { name: 'img', labels: ['x'], image: 'jenkins/inbound agent' },
      { name: 'jvm', labels: ['x'], jvmArgs: '-Xmx1g\nrm -rf /' },
      { name: 'idle', labels: ['x'], idleMinutes: -1 },
    ]);
    assert.deepEqual(
      templates.map((t) => t.name),
      ['a'],
    );
    assert.deepEqual(
      problems.map((p) => [p.index, p.message]),
      [
        [1, 'Template "a": the name is used twice in mesos.jenkins.agentTemplates; names must be unique. Rename one.'],
        [2, 'Entry 3 of mesos.jenkins.agentTemplates has no "name".'],
        [3, 'Entry 4 of mesos.jenkins.agentTemplates is not an object with "name" and "labels".'],
        [
          4,
          'Template "Linux Big": the name goes into node names, so use lower-case letters, digits and "-" (at most 32, not starting or ending with "-").',
        ],
        [
          5,
          'Template "typo": unknown key "maxAgent" (did you mean "maxAgents"?). The template is not used until this is fixed.',
        ],
        [
          6,
          'Template "nolabels": no "labels", so no build would ever ask for it; add labels (or set "servesUnlabeled": true). The template is not used until this is fixed.',
        ],
        [
          7,
          'Template "spaces": label "linux docker" contains a space or quote; a node label is one word (use several labels, e.g. ["linux", "docker"]). The template is not used until this is fixed.',
        ],
        [
          8,
          'Template "execs": "executors" must be a whole number of 1 or more, got 1.5. The template is not used until this is fixed.',
        ],
        [
          9,
          'Template "cons": constraint ["rack","NEAR","r1"]: unknown constraint operator \'NEAR\'. Use one of UNIQUE, CLUSTER, LIKE, UNLIKE, GROUP_BY, MAX_PER. The template is not used until this is fixed.',
        ],
        [
          10,
          "Template \"maxper\": constraint [\"hostname\",\"MAX_PER\"]: MAX_PER on 'hostname' needs a limit. Write it as [attribute, operator, value?], e.g. ['hostname', 'UNIQUE'] or ['rack', 'GROUP_BY', '3']. The template is not used until this is fixed.",
        ],
        [
          11,
          'Template "cz": "containerizer" only applies with an "image"; add one or leave it out. The template is not used until this is fixed.',
        ],
        [
          12,
          'Template "img": "image" must not contain spaces, got "jenkins/inbound agent". The template is not used until this is fixed.',
        ],
        [
          13,
          'Template "jvm": "jvmArgs" contains a line break or control character. The template is not used until this is fixed.',
        ],
        [
          14,
          'Template "idle": "idleMinutes" must be a number of 0 or more, got -1. The template is not used until this is fixed.',
        ],
      ],
    );
  });

  it('a template that serves unlabeled builds needs no labels', () => {
    const { templates, problems } = readAgentTemplates([{ name: 'any', servesUnlabeled: true, maxAgents: 0 }]);
    assert.deepEqual(problems, []);
    assert.deepEqual([templates[0]!.labels, templates[0]!.servesUnlabeled, templates[0]!.maxAgents], [[], true, 0]);
  });

  it('nothing set is no templates; something that is not a list is one problem', () => {
    assert.deepEqual(readAgentTemplates(undefined), { templates: [], problems: [] });
    const { problems } = readAgentTemplates({ name: 'linux' });
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.index, -1);
    assert.match(problems[0]!.message, /must be a list of templates/);
  });

  it('the settings schema names exactly the keys the reader knows, with the same defaults', () => {
    const properties = AGENT_TEMPLATES_SETTING_SCHEMA.items.properties;
    assert.deepEqual(Object.keys(properties).sort(), [...AGENT_TEMPLATE_KEYS].sort());
    for (const [key, spec] of Object.entries(properties)) {
      if ('default' in spec)
        assert.equal(spec.default, AGENT_TEMPLATE_DEFAULTS[key as keyof typeof AGENT_TEMPLATE_DEFAULTS], key);
    }
    assert.match('linux-big-2', new RegExp(properties.name.pattern));
    assert.doesNotMatch('-linux', new RegExp(properties.name.pattern));
  });
});

describe('the agentTemplates setting in package.json', () => {
  it('is exactly the schema the reader is kept in step with', async () => {
    const { readFile } = await import('node:fs/promises');
    const manifest = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, unknown> } };
    };
    assert.deepEqual(manifest.contributes.configuration.properties['mesos.jenkins.agentTemplates'], JSON.parse(JSON.stringify(AGENT_TEMPLATES_SETTING_SCHEMA)));
  });
});
