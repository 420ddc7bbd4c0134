/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The files the agent writes for others, each atomically (a temporary
 * file in the same directory, then rename): flannel's subnet.env, which
 * CNI plugins and scripts read, and a CNI network configuration that
 * delegates to Debian's bridge and host-local plugins as flannel's CNI
 * plugin does.
 */
#ifndef OVL_AGENT_FILES_H
#define OVL_AGENT_FILES_H

#include <stdbool.h>
#include <stddef.h>

#include "addr.h"
#include "config.h"

struct node_facts {
	const struct netconfig *cfg;
	const struct ipnet *subnet, *subnet6;	/* NULL for a family not used */
	unsigned int mtu;
	bool ip_masq;
};

/* Write text to path atomically, creating its directory; 0 or -errno. */
int write_atomic(const char *path, const char *text, size_t len);
int subnet_env_write(const char *path, const struct node_facts *f);
/*
 * The subnets of an earlier run, from FLANNEL_SUBNET / FLANNEL_IPV6_SUBNET
 * ("10.244.3.1/24" names 10.244.3.0/24); false for each not found.
 */
void subnet_env_read(const char *path, struct ipnet *sn, bool *have,
		     struct ipnet *sn6, bool *have6);
int cni_conf_write(const char *path, const struct node_facts *f);

#endif
