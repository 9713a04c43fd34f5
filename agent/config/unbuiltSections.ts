/**
 * Sections of taskwarden.yaml whose part is not built in this version. The
 * schema describes them already (so the editor completes them and a file that
 * has them loads), but nothing runs from them: each one present gets a warning
 * on its key, so a user is not left believing a queue or a job is set up.
 *
 * Building a part: delete its section(s) from this list, and the "Not built in
 * this version" sentence from their descriptions in schemas/taskwarden.schema.json.
 */
import type { ConfigCheck } from './checks';
import type { PathDiagnostic } from './diagnostic';

export const UNBUILT_SECTIONS: readonly string[] = ['jobs', 'handlers', 'groups'];

export const unbuiltSectionsCheck: ConfigCheck = {
  name: 'unbuilt sections',
  check(config): PathDiagnostic[] {
    return UNBUILT_SECTIONS.filter((section) => section in config).map((section) => ({
      path: [section],
      atKey: true,
      severity: 'warning',
      message: `'${section}' is not built in this version: the section is checked, but nothing runs from it`,
    }));
  },
};
