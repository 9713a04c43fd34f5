import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { schemaFromRunnerOutput } from '../../../agent/jobs/handlers/userSchemas';

describe("a user handler's schema as its runner prints it", () => {
  it('is the last line, after whatever the module printed while it loaded', () => {
    assert.deepEqual(schemaFromRunnerOutput('loading…\n{"x": 1}\n\n{"schema":{"type":"object"}}\n'), {
      schema: { type: 'object' },
      error: null,
    });
  });

  it('is null when the module exports none, or something that is not a schema', () => {
    assert.deepEqual(schemaFromRunnerOutput('{"schema":null}\n'), { schema: null, error: null });
    assert.deepEqual(schemaFromRunnerOutput('{"schema":[1]}\n'), { schema: null, error: null });
  });

  it('says why when the module could not be loaded, or nothing readable came', () => {
    assert.deepEqual(schemaFromRunnerOutput('{"error":"Unexpected token (line 3)"}\n'), {
      schema: null,
      error: 'Unexpected token (line 3)',
    });
    assert.equal(schemaFromRunnerOutput('').error, 'the handler runner printed no schema');
  });
});
