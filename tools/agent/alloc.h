/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Choosing a free subnet, as flannel does (pkg/subnet/etcd): walk the
 * subnets from SubnetMin to SubnetMax, keep the first 100 that overlap
 * no lease, pick one of them at random.  Random rather than the first so
 * that nodes starting together rarely race for the same subnet.
 */
#ifndef OVL_AGENT_ALLOC_H
#define OVL_AGENT_ALLOC_H

#include <stdbool.h>

#include "addr.h"
#include "config.h"

#define ALLOC_CANDIDATES	100

/*
 * Pick a free subnet of plan p; taken[] are the subnets in use.  pick(n)
 * returns a number in [0, n).  Returns false when every subnet is taken.
 */
bool alloc_subnet(const struct netplan *p, const struct ipnet *taken,
		  int ntaken, unsigned int (*pick)(unsigned int n),
		  struct ipnet *out);
/* Is sn a subnet plan p could hand out (length, range, alignment)? */
bool alloc_subnet_fits(const struct netplan *p, const struct ipnet *sn);

#endif
