#!/bin/sh
# Demo migration: a `once` task; the API waits until it has exited.
echo "migrating schema..."
sleep 1
echo "migrations applied"
