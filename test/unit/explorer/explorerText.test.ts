import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatCpus, formatMegabytes, formatMegabytesOf, formatResources, formatUsage } from '../../../src/ui/explorer/formatResources';
import { formatAge, formatClock, timeInfoMs } from '../../../src/ui/explorer/formatTime';
import { mesosUiUrl } from '../../../src/ui/explorer/mesosUiUrl';

// The texts of the explorer's rows and the Mesos UI links, which need no editor to check.

describe('resource texts', () => {
  test('cpus keep up to two decimals, mem and disk pick MB, GB or TB', () => {
    assert.equal(formatCpus(0.25), '0.25');
    assert.equal(formatCpus(1.5), '1.5');
    assert.equal(formatCpus(0.333), '0.33');
    assert.equal(formatCpus(12.25), '12.3');
    assert.equal(formatMegabytes(64), '64 MB');
    assert.equal(formatMegabytes(1536), '1.5 GB');
    assert.equal(formatMegabytes(3 * 1024 * 1024), '3 TB');
  });

  test('used of total shows both in the total\'s unit, unless the used part would round away', () => {
    assert.equal(formatMegabytesOf(2560, 16384), '2.5/16 GB');
    assert.equal(formatMegabytesOf(0, 16384), '0/16 GB');
    assert.equal(formatMegabytesOf(64, 12288), '64 MB/12 GB');
    assert.equal(formatMegabytesOf(256, 1000), '256/1000 MB');
  });

  test('a task\'s resources leave out what it does not hold; an agent\'s use shows gpus only when it has some', () => {
    assert.equal(formatResources({ cpus: 0.5, mem: 256, disk: 0, gpus: 0 }), '0.5 cpu · 256 MB');
    assert.equal(formatResources({ cpus: 1, mem: 2048, disk: 10240, gpus: 1 }), '1 cpu · 2 GB · 10 GB disk · 1 gpu');
    assert.equal(
      formatUsage({ cpus: 1.5, mem: 2048, disk: 0, gpus: 0 }, { cpus: 8, mem: 16384, disk: 204800, gpus: 0 }),
      'cpu 1.5/8 · mem 2/16 GB · disk 0/200 GB',
    );
    assert.equal(
      formatUsage({ cpus: 0, mem: 0, disk: 0, gpus: 1 }, { cpus: 4, mem: 1024, disk: 0, gpus: 2 }),
      'cpu 0/4 · mem 0/1 GB · gpu 1/2',
    );
  });
});

describe('time texts', () => {
  test('ages use their largest unit; clock skew reads 0s', () => {
    assert.equal(formatAge(-5000), '0s');
    assert.equal(formatAge(45_000), '45s');
    assert.equal(formatAge(5 * 60_000 + 59_000), '5m');
    assert.equal(formatAge(3 * 3600_000), '3h');
    assert.equal(formatAge(47 * 3600_000), '47h');
    assert.equal(formatAge(50 * 3600_000), '2d');
  });

  test('the clock is hh:mm:ss whatever the locale; TimeInfo nanoseconds read from numbers and 19-digit strings', () => {
    const at = new Date(2024, 0, 2, 3, 4, 5).getTime();
    assert.equal(formatClock(at), '03:04:05');
    assert.equal(timeInfoMs({ nanoseconds: '1795566157810769920' }), 1795566157810);
    assert.equal(timeInfoMs({ nanoseconds: 1_000_000_000 }), 1000);
    assert.equal(timeInfoMs({ nanoseconds: 'not a number' }), undefined);
    assert.equal(timeInfoMs(undefined), undefined);
  });
});

describe('Mesos UI links', () => {
  test('routes of the master\'s web UI, ids encoded, a path prefix kept', () => {
    const master = 'http://10.0.0.1:5050';
    assert.equal(mesosUiUrl(master, { kind: 'cluster' }), 'http://10.0.0.1:5050/#/');
    assert.equal(mesosUiUrl(master, { kind: 'framework', frameworkId: 'abc-0001' }), 'http://10.0.0.1:5050/#/frameworks/abc-0001');
    assert.equal(mesosUiUrl(`${master}/`, { kind: 'agent', agentId: 'abc-S3' }), 'http://10.0.0.1:5050/#/agents/abc-S3');
    assert.equal(
      mesosUiUrl(master, { kind: 'task', agentId: 'abc-S3', frameworkId: 'abc-0001', executorId: 'web #1' }),
      'http://10.0.0.1:5050/#/agents/abc-S3/frameworks/abc-0001/executors/web%20%231',
    );
    assert.equal(mesosUiUrl('https://proxy.example.com/mesos/', { kind: 'offers' }), 'https://proxy.example.com/mesos/#/offers');
  });
});
