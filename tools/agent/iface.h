/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The external interface, as flanneld picks it: the first --iface (a
 * name, or an address one of the interfaces holds) that exists, else the
 * first interface whose name or address matches an --iface-regex, else
 * the interface of the default route.  Its first global address of each
 * family is the VTEP's local address; --public-ip/--public-ipv6 override
 * what the lease advertises.
 */
#ifndef OVL_AGENT_IFACE_H
#define OVL_AGENT_IFACE_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>

#include "addr.h"
#include "flags.h"

struct ext_iface {
	int ifindex;
	char name[IF_NAMESIZE];
	unsigned int mtu;
	struct ipaddr addr, addr6;	/* the interface's own (local) */
	struct ipaddr pub, pub6;	/* what the lease says */
	bool fixed;			/* --iface named the address */
};

int iface_find(const struct options *o, bool v4, bool v6,
	       struct ext_iface *out, char *err, size_t errlen);
/*
 * Read the interface's addresses again (after an address change); true if
 * any of them changed.  The interface keeps its name and index.
 */
bool iface_refresh(const struct options *o, bool v4, bool v6,
		   struct ext_iface *x);

#endif
