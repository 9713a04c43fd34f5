/*
 * Log rotation by whole lines while a process appends to the file (see rotate.c).
 */
#ifndef TASKWARDEN_ROTATE_H
#define TASKWARDEN_ROTATE_H

#include <sys/types.h>

/* The first line of a live file after a rotation: "[taskwarden] older lines were rotated out (base N)", spaces, "\n". */
#define ROTATION_MARKER_PREFIX "[taskwarden] older lines were rotated out (base "
#define ROTATION_MARKER_SUFFIX ")"

/* rotate_log's outcome. */
#define ROTATED_NOTHING 0
#define ROTATED_COLLAPSED 1 /* *removed bytes left the front of the file (0 when only the marker changed) */
#define ROTATED_EMPTIED 2   /* the file was copied and truncated to 0 (no COLLAPSE_RANGE here) */

/*
 * Rotates FILE when its lines pass max_bytes: whole lines go to FILE.1 … FILE.keep
 * (newest first, each within max_bytes unless one line alone is longer), and leave
 * the front of FILE. Bytes past `limit` (when not -1) are left for a later
 * rotation. `proceed`, when given, is asked once the file's lock is held and may
 * cancel (returns 0). Returns a ROTATED_* value, or -1 with errno set.
 */
int rotate_log(const char *file, long long max_bytes, int keep, long long limit, long long *removed, int (*proceed)(void));

#endif
