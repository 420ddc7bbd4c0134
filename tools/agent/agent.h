/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent: one loop that keeps the kernel equal to the leases.
 *
 * Start-up is flanneld's: the network config (waited for), the external
 * interface, the VTEP device (its MAC taken from our old lease if there
 * is one), our lease (acquired or reused), subnet.env and the CNI
 * config, the iptables rules; then every lease is listed and the kernel
 * reconciled, and a watch follows the changes from the listed revision.
 *
 * Afterwards the loop waits on the watch, the netlink monitor, signals
 * and its timers.  Lease events program their peer; a broken watch is
 * reopened (on the next endpoint, with a bounded backoff) from the last
 * revision seen, a compacted one re-lists; a device deleted or an
 * underlay change replays the table into the kernel, which needs no
 * etcd; the lease is renewed before it expires.  None of these paths
 * touches the data path while etcd is away.
 */
#ifndef OVL_AGENT_AGENT_H
#define OVL_AGENT_AGENT_H

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

/* Run the agent until SIGTERM/SIGINT; the process exit status. */
int agent_run(const struct options *o);

double now_mono(void);
double now_wall(void);

#endif
