/**
 * The tables of the groups part. `group_state` holds one row per group the
 * agent has run: whether a user stopped it, its live params (as of the last
 * round's end or a reload of the file, and the file text they came from, so an
 * edit made while no agent ran is seen), its round count, each tasklet's
 * status, and its runner's run record for adoption. `group_rounds` is the
 * history, bounded per group by `groups.history`. Times are ms since the epoch.
 */
import type { Migration } from '../store/migration';

export const groupsMigration: Migration = {
  version: 12,
  name: 'groups',
  sql: `
    CREATE TABLE group_state (
      name TEXT PRIMARY KEY,
      stopped INTEGER NOT NULL DEFAULT 0,
      params TEXT,
      params_at INTEGER,
      params_text TEXT,
      rounds INTEGER NOT NULL DEFAULT 0,
      last_round_at INTEGER,
      tasklets TEXT NOT NULL DEFAULT '[]',
      run TEXT
    ) WITHOUT ROWID;

    CREATE TABLE group_rounds (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      round INTEGER NOT NULL,
      record TEXT NOT NULL
    );
    CREATE INDEX group_rounds_name ON group_rounds (name, seq);
  `,
};

/**
 * A round's `record` becomes its packed form (agent/groups/roundRecord.ts):
 * `{round, startedAt, endedAt, endedBy, names, cells, errors}`, three numbers
 * per tasklet instead of an object with repeated keys (~1.5 kB instead of
 * ~10 kB for 100 tasklets). The rows an older agent wrote are packed here;
 * the cells' state code is packedRound.ts's `stateCode`.
 */
export const packedRoundsMigration: Migration = {
  version: 14,
  name: 'groups-packed-rounds',
  sql: `
    UPDATE group_rounds SET record = json_object(
      'round', json_extract(record, '$.round'),
      'startedAt', json_extract(record, '$.startedAt'),
      'endedAt', json_extract(record, '$.endedAt'),
      'endedBy', json_extract(record, '$.endedBy'),
      'names', (SELECT json_group_array(json_extract(result.value, '$.name') ORDER BY result.key)
                FROM json_each(record, '$.results') AS result),
      'cells', (SELECT json_group_array(cell.value ORDER BY cell.position, cell.slot) FROM (
                  SELECT result.key AS position, 0 AS slot,
                         (CASE json_extract(result.value, '$.outcome')
                            WHEN 'ok' THEN 0 WHEN 'error' THEN 1 WHEN 'timeout' THEN 2
                            WHEN 'not-matched' THEN 3 WHEN 'skipped' THEN 4 ELSE 5 END) * 3
                         + (CASE json_type(result.value, '$.matched') WHEN 'true' THEN 2 WHEN 'false' THEN 1 ELSE 0 END) AS value
                  FROM json_each(record, '$.results') AS result
                  UNION ALL
                  SELECT result.key, 1, json_extract(result.value, '$.startedAt') - json_extract(record, '$.startedAt')
                  FROM json_each(record, '$.results') AS result
                  UNION ALL
                  SELECT result.key, 2, json_extract(result.value, '$.durationMs')
                  FROM json_each(record, '$.results') AS result
                ) AS cell),
      'errors', (SELECT json_group_array(json_object(
                    'at', result.key,
                    'message', json_extract(result.value, '$.error.message'),
                    'stack', json(json_extract(result.value, '$.error.stack'))) ORDER BY result.key)
                 FROM json_each(record, '$.results') AS result
                 WHERE json_type(result.value, '$.error') = 'object')
    )
    WHERE json_type(record, '$.results') = 'array';
  `,
};
