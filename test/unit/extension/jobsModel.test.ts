/**
 * The extension's copy of the jobs: the list read on connect, then the `jobs` deltas applied without
 * asking again (summaries replaced by name, removed jobs dropped, new events put in front of those
 * read), events read a page at a time only for the jobs asked for, and an empty model when the
 * connection goes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { JobEventsRequest, ListJobsRequest, type CheckEvent, type JobSummary } from '../../../agent/jobs/protocol';
import { JOB_EVENTS_PAGE, JobsModel, mergeEvents } from '../../../extension/jobs/jobsModel';
import { FakeAgent, RUNNING, settled } from './fakeAgent';
import { checkEvent, job } from './jobFixtures';

/** The agent's jobs and stored events, and the requests it was asked. */
class JobsAgent extends FakeAgent {
  jobs: JobSummary[] = [];
  /** Newest first, as the agent answers. */
  events: CheckEvent[] = [];
  readonly calls: string[] = [];

  protected answer(method: string, params: unknown): unknown {
    if (method === ListJobsRequest.method) {
      this.calls.push('list');
      return { now: 5_000, jobs: this.jobs };
    }
    if (method === JobEventsRequest.method) {
      const { name, limit } = params as { name: string; limit: number };
      this.calls.push(`events ${name} ${limit}`);
      const all = this.events.filter((event) => event.resource === name);
      return { events: all.slice(0, limit), nextCursor: all.length > limit ? 'more' : null };
    }
    throw new Error(`unexpected request ${method}`);
  }
}

/** `count` events of `name`, newest first, one a second before t = 100 s. */
function history(name: string, count: number): CheckEvent[] {
  return Array.from({ length: count }, (_, index) => checkEvent({ resource: name, timestamp: 100 - index }));
}

async function connected(jobs: JobSummary[], events: CheckEvent[] = []): Promise<{ agent: JobsAgent; model: JobsModel; errors: string[] }> {
  const agent = new JobsAgent();
  agent.jobs = jobs;
  agent.events = events;
  const errors: string[] = [];
  const model = new JobsModel(agent as never, (message) => errors.push(message));
  agent.setState(RUNNING);
  await settled();
  return { agent, model, errors };
}

describe('the Jobs view model', () => {
  test("reads the jobs on connect, in the agent's order (the config's), and no event until asked", async () => {
    const { agent, model } = await connected([job({ name: 'web' }), job({ name: 'disk' })], history('disk', 3));
    assert.equal(model.loaded, true);
    assert.deepEqual(
      model.jobs.map((one) => one.name),
      ['web', 'disk'],
    );
    assert.deepEqual(agent.calls, ['list']);
    assert.equal(model.events.size, 0);
  });

  test("reads a job's first page of events once, however often it is asked", async () => {
    const { agent, model } = await connected([job()], history('disk', JOB_EVENTS_PAGE + 5));
    await Promise.all([model.loadEvents('disk'), model.loadEvents('disk')]);
    await model.loadEvents('disk');
    assert.deepEqual(agent.calls, ['list', `events disk ${JOB_EVENTS_PAGE}`]);
    const read = model.events.get('disk')!;
    assert.equal(read.events.length, JOB_EVENTS_PAGE);
    assert.equal(read.events[0]!.timestamp, 100);
    assert.equal(read.more, true);
  });

  test('"Show more" reads one page more, and says when no older events are left', async () => {
    const { model } = await connected([job()], history('disk', JOB_EVENTS_PAGE + 5));
    await model.loadEvents('disk');
    await model.showMore('disk');
    const read = model.events.get('disk')!;
    assert.equal(read.events.length, JOB_EVENTS_PAGE + 5);
    assert.equal(read.more, false);
  });

  test('applies summaries, removals and events as pushed, without asking the agent again', async () => {
    const { agent, model } = await connected([job(), job({ name: 'web' })], history('disk', 2));
    await model.loadEvents('disk');
    let changes = 0;
    model.onChange(() => changes++);
    const calls = agent.calls.length;

    agent.push({ kind: 'jobs', jobs: [job({ paused: true })] });
    assert.equal(model.job('disk')!.paused, true);

    agent.push({ kind: 'events', events: [checkEvent({ timestamp: 101, state: 2 }), checkEvent({ resource: 'web', timestamp: 101 })] });
    assert.deepEqual(
      model.events.get('disk')!.events.map((event) => event.timestamp),
      [101, 100, 99],
    );
    assert.equal(model.events.has('web'), false, "a job whose events were not read keeps none: they are read when it's expanded");

    agent.push({ kind: 'jobsRemoved', names: ['disk'] });
    assert.deepEqual(
      model.jobs.map((one) => one.name),
      ['web'],
    );
    assert.equal(model.events.has('disk'), false);
    await settled();
    assert.equal(agent.calls.length, calls, 'no request for a delta');
    assert.equal(changes, 3);
  });

  test('shows a new job at the end at once, then reads the list again for its place in the config', async () => {
    const { agent, model } = await connected([job(), job({ name: 'web' })]);
    agent.jobs = [job({ name: 'backup' }), job(), job({ name: 'web' })];
    agent.push({ kind: 'jobs', jobs: [job({ name: 'backup' })] });
    assert.deepEqual(
      model.jobs.map((one) => one.name),
      ['disk', 'web', 'backup'],
    );
    await settled();
    assert.deepEqual(agent.calls, ['list', 'list']);
    assert.deepEqual(
      model.jobs.map((one) => one.name),
      ['backup', 'disk', 'web'],
    );
  });

  test('keeps only the events shown when runs keep coming, and then offers the older ones', async () => {
    const { model, agent } = await connected([job()], history('disk', 2));
    await model.loadEvents('disk');
    for (let second = 101; second < 101 + JOB_EVENTS_PAGE; second++)
      agent.push({ kind: 'events', events: [checkEvent({ timestamp: second })] });
    const read = model.events.get('disk')!;
    assert.equal(read.events.length, JOB_EVENTS_PAGE);
    assert.equal(read.events[0]!.timestamp, 100 + JOB_EVENTS_PAGE);
    assert.equal(read.more, true);
  });

  test('an event pushed while its page is read is neither lost nor doubled', async () => {
    const { model, agent } = await connected([job()], history('disk', 2));
    let release = (): void => undefined;
    agent.gate = new Promise((resolve) => (release = resolve));
    const loading = model.loadEvents('disk');
    await settled();
    // The agent answered (without it) before this run ended; its delta comes before the answer.
    agent.push({ kind: 'events', events: [checkEvent({ timestamp: 101 })] });
    release();
    await loading;
    assert.deepEqual(
      model.events.get('disk')!.events.map((event) => event.timestamp),
      [101, 100, 99],
    );
    assert.deepEqual(
      mergeEvents([checkEvent({ timestamp: 101 })], [checkEvent({ timestamp: 101 }), checkEvent({ timestamp: 100 })]).map(
        (event) => event.timestamp,
      ),
      [101, 100],
    );
  });

  test('a delta before the first list arrives makes it list again; an unknown delta lists again', async () => {
    const agent = new JobsAgent();
    agent.jobs = [job()];
    let release = (): void => undefined;
    agent.gate = new Promise((resolve) => (release = resolve));
    const model = new JobsModel(agent as never, () => undefined);
    agent.setState(RUNNING);
    await settled();
    assert.deepEqual(agent.calls, ['list'], 'the list is on its way');
    agent.push({ kind: 'jobs', jobs: [job({ paused: true })] });
    agent.gate = null;
    release();
    await settled();
    assert.deepEqual(agent.calls, ['list', 'list']);
    agent.push({ kind: 'mystery' });
    await settled();
    assert.deepEqual(agent.calls, ['list', 'list', 'list']);
    assert.equal(model.loaded, true);
  });

  test('empties itself when the connection goes, and reads again when it comes back', async () => {
    const { agent, model } = await connected([job()], history('disk', 2));
    await model.loadEvents('disk');
    agent.setState({ kind: 'stopped' });
    await settled();
    assert.equal(model.loaded, false);
    assert.equal(model.jobs.length, 0);
    assert.equal(model.events.size, 0);
    agent.setState(RUNNING);
    await settled();
    assert.equal(model.loaded, true);
    assert.equal(model.jobs.length, 1);
  });

  test('reports a failed read', async () => {
    const agent = new JobsAgent();
    agent.request = () => Promise.reject(new Error('socket closed'));
    const errors: string[] = [];
    new JobsModel(agent as never, (message) => errors.push(message));
    agent.setState(RUNNING);
    await settled();
    assert.deepEqual(errors, ['Taskwarden could not read the jobs: socket closed']);
  });
});
