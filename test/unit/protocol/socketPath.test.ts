import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SOCKET_PATH_BYTES, socketDirectory, socketPathFor } from '../../../agent/protocol/socketPath';

describe('the socket path', () => {
  it('lives under $XDG_RUNTIME_DIR/taskwarden when there is one', () => {
    assert.match(
      socketPathFor({ workspace: '/home/ann/project', runtimeDir: '/run/user/1000', uid: 1000 }),
      /^\/run\/user\/1000\/taskwarden\/[0-9a-f]{24}\.sock$/,
    );
  });

  it('falls back to /tmp/taskwarden-<uid> without a runtime dir', () => {
    assert.equal(socketDirectory({ runtimeDir: undefined, uid: 1234 }), '/tmp/taskwarden-1234');
  });

  it('is the same for the same workspace and differs between workspaces', () => {
    const a = socketPathFor({ workspace: '/w/a', runtimeDir: '/run/user/1', uid: 1 });
    assert.equal(a, socketPathFor({ workspace: '/w/a/', runtimeDir: '/run/user/1', uid: 1 }));
    assert.notEqual(a, socketPathFor({ workspace: '/w/b', runtimeDir: '/run/user/1', uid: 1 }));
  });

  it('stays within the 107-byte limit for a very long workspace path', () => {
    const workspace = `/${'deeply-nested-folder/'.repeat(40)}project`;
    const socket = socketPathFor({ workspace, runtimeDir: '/run/user/1000', uid: 1000 });
    assert.ok(Buffer.byteLength(socket) <= MAX_SOCKET_PATH_BYTES);
  });

  it('falls back to /tmp when the runtime dir itself is too long to hold the socket', () => {
    const runtimeDir = `/${'r'.repeat(100)}`;
    const socket = socketPathFor({ workspace: '/w', runtimeDir, uid: 7 });
    assert.ok(socket.startsWith('/tmp/taskwarden-7/'));
    assert.ok(Buffer.byteLength(socket) <= MAX_SOCKET_PATH_BYTES);
  });
});
