/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VTEP device flanneld would create, flannel.<VNI> (flannel-v6.<VNI>
 * for IPv6), as an ovl device: created if missing, brought to the wanted
 * configuration if it exists (ovl changes every parameter live; a device
 * of another kind, such as the vxlan device flanneld left, is replaced),
 * one address, up.  The MAC is kept: it is in the lease peers program.
 */
#ifndef OVL_AGENT_VTEP_H
#define OVL_AGENT_VTEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "addr.h"
#include "rtnl.h"

struct vtep {
	char name[IF_NAMESIZE];
	int ifindex;		/* 0 until created */
	uint8_t mac[6];
	bool have_mac;		/* mac is the one to keep */
};

/*
 * Make the device v->name match spec (whose name, kind and mac fields
 * are filled from v), with address addr (the subnet's network address as
 * a host route, as flannel sets it; NULL: none yet) and up.  Fills ifindex
 * and mac.
 */
int vtep_ensure(struct vtep *v, struct vtep_spec *spec, const struct ipnet *addr,
		char *err, size_t errlen);

#endif
