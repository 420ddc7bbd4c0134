/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Programming the peers into the kernel, flanneld's way: per peer and
 * family, a permanent neighbour entry (the peer's VTEP address -> its
 * VtepMAC), an FDB entry (VtepMAC -> PublicIP) and a route to its subnet
 * via its VTEP address, onlink; with DirectRouting and a peer on the same
 * link, a plain route via its PublicIP instead.
 *
 * Two ways in.  peer_program() follows one lease change: it writes what
 * the peer needs now, then removes what it needed before and no longer
 * does, so the peer is never unreachable in between.  reconcile_all()
 * makes the kernel equal to the whole table: it reads the device's
 * neighbour, FDB and route entries, writes what is missing or different,
 * and only then deletes what belongs to no lease (flannel #2554).
 */
#ifndef OVL_AGENT_RECONCILE_H
#define OVL_AGENT_RECONCILE_H

#include "config.h"
#include "peers.h"

struct dataplane {
	const struct netconfig *cfg;
	int vtep4, vtep6;	/* ifindex of each family's device; 0 = none */
	int ext;		/* the external interface (direct routes) */
};

struct reconcile_stats {
	int added, changed, removed, failed;
};

/* Bring the kernel to what p needs now (nothing, if it is not usable). */
void peer_program(const struct dataplane *dp, struct peer *p,
		  struct reconcile_stats *st);
/* Remove everything programmed for p. */
void peer_unprogram(const struct dataplane *dp, struct peer *p,
		    struct reconcile_stats *st);
int reconcile_all(const struct dataplane *dp, struct peers *ps,
		  struct reconcile_stats *st);

#endif
