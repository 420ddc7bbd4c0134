/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Flannel network configuration, <prefix>/config in etcd: parsed and
 * checked with flannel's rules (pkg/subnet/config.go) and defaults, and
 * its vxlan backend section (backend/vxlan/vxlan.go).  A configuration
 * flanneld would refuse is refused with the reason.
 */
#ifndef OVL_AGENT_CONFIG_H
#define OVL_AGENT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define FLANNEL_DEFAULT_VNI	1
#define FLANNEL_DEFAULT_PORT	8472	/* Linux's vxlan default, which flannel leaves in place */

/* One family's address plan. */
struct netplan {
	bool enabled;
	struct ipnet network;
	int subnet_len;
	struct ipaddr subnet_min, subnet_max;	/* first and last subnet's address */
};

struct netconfig {
	struct netplan v4, v6;
	char backend_type[32];
	/* vxlan backend */
	uint32_t vni;
	uint16_t port;
	int mtu;		/* the underlay's MTU to assume; 0: the interface's */
	bool gbp, direct_routing, learning;
};

/*
 * Parse the config's JSON text into c.  Returns 0, or -1 with the reason
 * (flannel's wording where it has one) in err.
 */
int config_parse(const char *text, size_t len, struct netconfig *c,
		 char *err, size_t errlen);

#endif
