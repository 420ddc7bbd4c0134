/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The status file: what a running agent holds (its lease, its peers and
 * those it skipped and why, the last sync, the last problem), as JSON,
 * rewritten atomically as it changes; and `ovl-agent status`, which
 * prints it and says whether the agent that wrote it still runs.
 */
#ifndef OVL_AGENT_STATUS_H
#define OVL_AGENT_STATUS_H

struct agent;

/* The agent's state, as JSON, to its --status-file; 0 or -errno. */
int status_publish_agent(const struct agent *a, const char *state);
/* `ovl-agent status [-j] [--status-file F]`: exit 0 running, 3 not. */
int status_command(int argc, char **argv, const char *default_path);

#endif
