#!/bin/sh
# Demo API instance $1: restarts when its config file $2 changes (file_change event).
echo "api $1 listening, config: $(head -n 1 "$2" 2>/dev/null || echo none)"
served=0
while :; do
  sleep 3
  served=$((served + 7))
  echo "api $1: served $served requests"
done
