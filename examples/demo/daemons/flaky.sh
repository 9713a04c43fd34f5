#!/bin/sh
# Demo of a broken daemon: it fails at once, every time. Taskwarden backs off, then
# marks it crash-looping; `taskwarden reset flaky` (or Reset in VS Code) tries again.
echo "flaky: connecting to a service that is not there..."
sleep 0.3
echo "flaky: connection refused" >&2
exit 1
