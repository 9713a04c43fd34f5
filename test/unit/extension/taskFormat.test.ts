/**
 * How the Tasks view words and draws tasks: the progress bar, the numeric progress read
 * from feedback, how a run ended, and the icon and color of each state.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  describeEnd,
  feedbackProgress,
  historyLook,
  infoText,
  progressBar,
  stateLook,
  taskLabel,
} from '../../../extension/tasks/taskFormat';

describe('feedbackProgress', () => {
  test('reads integers, decimals, a percent sign and blanks around', () => {
    assert.equal(feedbackProgress({ progress: '60' }), 60);
    assert.equal(feedbackProgress({ progress: ' 62.5 ' }), 62.5);
    assert.equal(feedbackProgress({ progress: '40%' }), 40);
  });

  test('clamps values beyond 0–100', () => {
    assert.equal(feedbackProgress({ progress: '150' }), 100);
    assert.equal(feedbackProgress({ progress: '-3' }), 0);
  });

  test('gives null without feedback, without the key, or for text that is not a number', () => {
    assert.equal(feedbackProgress(null), null);
    assert.equal(feedbackProgress({ phase: 'build' }), null);
    assert.equal(feedbackProgress({ progress: 'half' }), null);
    assert.equal(feedbackProgress({ progress: '' }), null);
    assert.equal(feedbackProgress({ progress: '1e3' }), null);
  });
});

describe('progressBar', () => {
  test('fills the cells in proportion, rounded, and prints the percentage', () => {
    assert.equal(progressBar(0), '▱▱▱▱▱▱▱▱ 0%');
    assert.equal(progressBar(60), '▰▰▰▰▰▱▱▱ 60%');
    assert.equal(progressBar(100), '▰▰▰▰▰▰▰▰ 100%');
    assert.equal(progressBar(60, 10), '▰▰▰▰▰▰▱▱▱▱ 60%');
    assert.equal(progressBar(62.5, 5), '▰▰▰▱▱ 62.5%');
  });
});

describe('describeEnd', () => {
  test('names each outcome in a few words', () => {
    assert.equal(describeEnd({ outcome: 'exited', exitCode: 0, signal: null }), 'exit 0');
    assert.equal(describeEnd({ outcome: 'exited', exitCode: 3, signal: null }), 'exit 3');
    assert.equal(describeEnd({ outcome: 'signaled', exitCode: null, signal: 'SIGSEGV' }), 'signal SIGSEGV');
    assert.equal(describeEnd({ outcome: 'killed', exitCode: null, signal: 'SIGTERM' }), 'killed (SIGTERM)');
    assert.equal(describeEnd({ outcome: 'killed', exitCode: null, signal: null }), 'killed');
    assert.equal(describeEnd({ outcome: 'timeout', exitCode: null, signal: 'SIGTERM' }), 'timeout');
    assert.equal(describeEnd({ outcome: 'unknown', exitCode: null, signal: null }), 'ended unobserved');
  });
});

describe('icons', () => {
  test('colors live states green, yellow, orange and grey', () => {
    assert.deepEqual(stateLook('RUNNING'), { icon: 'play-circle', color: 'charts.green' });
    assert.equal(stateLook('SILENT').color, 'charts.yellow');
    assert.equal(stateLook('STALLED').color, 'charts.orange');
    assert.equal(stateLook('RESERVED').color, 'disabledForeground');
  });

  test('marks a clean exit as passed and any other end as failed, killed or timed out', () => {
    assert.equal(historyLook({ outcome: 'exited', exitCode: 0 }).icon, 'pass');
    assert.equal(historyLook({ outcome: 'exited', exitCode: 1 }).icon, 'error');
    assert.equal(historyLook({ outcome: 'signaled', exitCode: null }).icon, 'error');
    assert.equal(historyLook({ outcome: 'killed', exitCode: null }).icon, 'circle-slash');
    assert.equal(historyLook({ outcome: 'timeout', exitCode: null }).icon, 'clock');
  });
});

describe('labels', () => {
  test('joins the info fields that are set', () => {
    assert.equal(infoText({ info1: 'a', info2: null, info3: 'c' }), 'a · c');
    assert.equal(infoText({ info1: null, info2: '', info3: null }), '');
  });

  test('names a task by its name, else by its id', () => {
    assert.equal(taskLabel({ id: 3, name: 'build' }), 'build');
    assert.equal(taskLabel({ id: 3, name: null }), 'task 3');
  });
});
