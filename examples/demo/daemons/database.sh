#!/bin/sh
# Demo database: takes a moment to start, says when it is ready, then reports now and then.
echo "database starting (pid $$)"
sleep 1
echo "database ready"
n=0
while :; do
  sleep 5
  n=$((n + 1))
  echo "database: checkpoint $n"
done
