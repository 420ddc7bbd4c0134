/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A subnet lease as flannel keeps it in etcd: the key names the subnet(s),
 * <prefix>/subnets/10.244.3.0-24 (dual stack: 10.244.3.0-24&fd00:0:0:3::-64),
 * and the value is flannel's LeaseAttrs JSON with the vxlan backend's data:
 *   {"PublicIP":"10.0.0.1","PublicIPv6":null,"BackendType":"vxlan",
 *    "BackendData":{"VNI":1,"VtepMAC":"aa:bb:cc:dd:ee:ff"}}
 * with "BackendV6Data" of the same shape when the node has an IPv6 subnet.
 */
#ifndef OVL_AGENT_LEASE_H
#define OVL_AGENT_LEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

#define LEASE_KEY_MAX	128

struct backend_data {
	bool present;
	uint32_t vni;
	uint8_t mac[6];
};

struct lease {
	bool has_v4, has_v6;
	struct ipnet subnet, subnet6;
	struct ipaddr public_ip, public_ipv6;	/* family 0: none */
	char backend_type[16];
	struct backend_data data, data6;
	/* From etcd, not from the value. */
	int64_t lease_id;	/* the etcd lease the key is bound to; 0: none */
	int64_t mod_revision;
	int64_t expires;	/* unix time; 0 if not known */
};

/* "10.244.3.0-24", "10.244.3.0-24&fd00:0:0:3::-64", "fd00:0:0:3::-64". */
void lease_key_name(const struct lease *l, char *buf, size_t len);
/* The reverse; false if name is not a subnet key. */
bool lease_key_parse(const char *name, struct lease *l);
/* The value's JSON text, exactly as flanneld writes it (malloc'd). */
char *lease_value_encode(const struct lease *l);
/* Do a and b say the same (addresses, backend type and data)? */
bool lease_attrs_equal(const struct lease *a, const struct lease *b);
/* Fill l's attributes from the value; false with the reason in why. */
bool lease_value_decode(const char *text, size_t len, struct lease *l,
			char *why, size_t whylen);

#endif
