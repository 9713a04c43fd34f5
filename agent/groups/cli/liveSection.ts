/** The groups' section of `taskwarden watch`: one line per group. */
import type { LiveSection } from '../../core/part';
import { ListGroupsRequest } from '../protocol';
import { groupDescription } from '../protocol';

export const groupsLiveSection: LiveSection = {
  name: 'groups',
  async read(connection) {
    const list = await connection.sendRequest(ListGroupsRequest.type, {});
    return { lines: list.groups.map((group) => `group ${group.name}: ${groupDescription(group, list.now)}`), data: list };
  },
};
