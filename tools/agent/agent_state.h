/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a running agent holds: its configuration, lease, devices, peers,
 * timers and counters.  Plain data: agent.c changes it, status.c reads
 * it to report it; neither calls the other through it.
 */
#ifndef OVL_AGENT_AGENT_STATE_H
#define OVL_AGENT_AGENT_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "flags.h"
#include "iface.h"
#include "lease.h"
#include "peers.h"
#include "reconcile.h"
#include "sm.h"
#include "vtep.h"

struct backoff {
	int ms;			/* the next wait; 0 = the first */
};

struct agent {
	const struct options *o;
	struct subnet_manager *sm;
	struct netconfig cfg;
	struct ext_iface ext;
	struct lease ours;
	char our_name[LEASE_KEY_MAX];
	struct vtep dev4, dev6;
	unsigned int mtu4, mtu6;
	struct peers peers;
	struct dataplane dp;
	int mon_fd, sig_fd;

	/* What the loop waits for (monotonic seconds; 0 = nothing). */
	double renew_at, resync_at, watch_at, kernel_at, status_at;
	struct backoff watch_backoff, etcd_backoff;
	bool watching;			/* a watch was started and not broken */
	bool watch_live;		/* ... and etcd confirmed it */
	bool need_relist, need_rewatch, stopping;
	bool etcd_ok;
	double etcd_down_since;		/* wall clock */
	double last_sync;		/* wall clock of the last full re-list */
	uint64_t events, relists, kernel_replays, renewals;
	struct reconcile_stats totals;
};

#endif
