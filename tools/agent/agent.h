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

#include "agent_state.h"

/* Run the agent until SIGTERM/SIGINT; the process exit status. */
int agent_run(const struct options *o);

#endif
