/**
 * The JSON Schemas of the built-in handlers' params (plain data: the config
 * check and the agent both read them). Each says what a job's `params:` holds
 * for that handler; completion and diagnostics in the editor come from them.
 */

const argv = {
  description: 'The program and its arguments, as an argv list (no shell: write [sh, -c, "…"] for one).',
  type: 'array',
  items: { type: 'string' },
  minItems: 1,
};
const env = {
  description: 'Variables added to the environment.',
  type: 'object',
  additionalProperties: { type: ['string', 'number', 'boolean'] },
};

export const COMMAND_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['cmd'],
  properties: {
    cmd: argv,
    cwd: { description: 'Working folder, relative to the workspace.', type: 'string' },
    env,
  },
} as const;

export const HTTP_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: { description: 'http:// or https:// URL.', type: 'string', pattern: '^https?://' },
    method: { enum: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    body: { type: 'string' },
    expect_status: {
      description: 'The status (or statuses) that are OK; default any 2xx or 3xx.',
      anyOf: [
        { type: 'integer', minimum: 100, maximum: 599 },
        { type: 'array', items: { type: 'integer', minimum: 100, maximum: 599 }, minItems: 1 },
      ],
    },
    body_match: { description: 'A regular expression the body must match (else CRITICAL).', type: 'string' },
    warn_ms: { description: 'WARNING when the answer takes longer (ms).', type: 'number', minimum: 0 },
    crit_ms: { description: 'CRITICAL when the answer takes longer (ms).', type: 'number', minimum: 0 },
  },
} as const;

export const QUEUE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['queue', 'cmd'],
  properties: {
    queue: { description: 'A queue of the queues: section.', type: 'string', minLength: 1 },
    cmd: argv,
    cwd: { description: "Relative to the queue's workdir.", type: 'string' },
    env,
    wait: { description: "Wait for the item's end: its state becomes the job's (done → OK, error → CRITICAL).", type: 'boolean' },
  },
} as const;

export const NOOP_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { description: 'The state to report (default 0, OK).', enum: [0, 1, 2, 3] },
    output: { description: 'The output to report (default "OK").', type: 'string' },
  },
} as const;

/** The built-in handlers' names and param schemas. */
export const BUILTIN_SCHEMAS: Readonly<Record<string, object>> = {
  command: COMMAND_SCHEMA,
  http: HTTP_SCHEMA,
  queue: QUEUE_SCHEMA,
  noop: NOOP_SCHEMA,
};
