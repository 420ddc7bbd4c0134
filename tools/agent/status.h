/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The status file: what a running agent holds (its lease, its peers and
 * those it skipped and why, the last sync, the last problem), as JSON,
 * rewritten atomically as it changes; and `ovl-agent status`, which
 * prints it and says whether the agent that wrote it still runs.
 */
#ifndef OVL_AGENT_STATUS_H
#define OVL_AGENT_STATUS_H

#include <json-c/json.h>

/* Write st to path (atomically); 0 or -errno. */
int status_publish(const char *path, json_object *st);
/* An ISO 8601 UTC time string for t (wall-clock seconds). */
json_object *status_time(double t);
/* `ovl-agent status [-j] [--status-file F]`: exit 0 running, 3 not. */
int status_command(int argc, char **argv, const char *default_path);

#endif
