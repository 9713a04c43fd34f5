#!/bin/sh
# Demo worker: starts once the API is ready; QUEUE comes from `env` in taskwarden.yaml.
echo "worker consuming queue '$QUEUE'"
i=0
while :; do
  sleep 4
  i=$((i + 1))
  echo "worker: job $i done"
  [ $((i % 5)) -eq 0 ] && echo "worker: job $i was slow" >&2
done
