// SPDX-License-Identifier: GPL-2.0
#include "alloc.h"

bool alloc_subnet_fits(const struct netplan *p, const struct ipnet *sn)
{
	return sn->ip.family == p->network.ip.family &&
	       sn->plen == p->subnet_len &&
	       addr_cmp(&sn->ip, &p->subnet_min) >= 0 &&
	       addr_cmp(&sn->ip, &p->subnet_max) <= 0 &&
	       net_contains_net(&p->network, sn);
}

static bool is_free(const struct ipnet *sn, const struct ipnet *taken, int n)
{
	for (int i = 0; i < n; i++) {
		if (net_overlaps(sn, &taken[i]))
			return false;
	}
	return true;
}

bool alloc_subnet(const struct netplan *p, const struct ipnet *taken,
		  int ntaken, unsigned int (*pick)(unsigned int n),
		  struct ipnet *out)
{
	struct ipnet bag[ALLOC_CANDIDATES], sn = { .ip = p->subnet_min, .plen = p->subnet_len };
	unsigned int n = 0;

	while (n < ALLOC_CANDIDATES && addr_cmp(&sn.ip, &p->subnet_max) <= 0) {
		if (is_free(&sn, taken, ntaken))
			bag[n++] = sn;
		if (!net_next(&sn, &sn))
			break;
	}
	if (!n)
		return false;
	*out = bag[pick(n)];
	return true;
}
