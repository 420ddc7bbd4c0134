// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "vtep.h"

static bool matches(const struct link *l, const struct vtep_spec *s)
{
	return !strcmp(l->kind, s->kind) && l->has_vni && l->vni == s->vni &&
	       l->port == s->port && addr_eq(&l->local, &s->local) &&
	       l->link == s->link && l->learning == s->learning &&
	       (!s->mtu || l->mtu == s->mtu) && (!s->mac || !memcmp(l->mac, s->mac, 6));
}

/* As flanneld: the VTEP takes no IPv6 router advertisements. */
static void no_router_adverts(const char *name)
{
	char path[96];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/accept_ra", name);
	f = fopen(path, "w");
	if (f) {
		fputs("0", f);
		fclose(f);
	}
}

/* Exactly one address of its family on the device: addr. */
static int set_address(const struct vtep *v, const struct ipnet *addr,
		       char *err, size_t errlen)
{
	struct rtnl_list have = RTNL_LIST(struct ipnet);
	bool present = false;
	char a[NET_STRLEN];
	int r;

	r = rtnl_addr_list(v->ifindex, addr->ip.family, &have);
	for (int i = 0; !r && i < have.n; i++) {
		const struct ipnet *n = (const struct ipnet *)have.v + i;

		if (net_eq(n, addr)) {
			present = true;
			continue;
		}
		log_info("%s: removing address %s, which is not ours", v->name, net_fmt(n, a));
		r = rtnl_addr_del(v->ifindex, n);
	}
	rtnl_list_free(&have);
	if (!r && !present)
		r = rtnl_addr_add(v->ifindex, addr);
	if (r)
		snprintf(err, errlen, "%s: address %s: %s", v->name, net_fmt(addr, a), rtnl_error());
	return r;
}

int vtep_ensure(struct vtep *v, struct vtep_spec *spec, const struct ipnet *addr,
		char *err, size_t errlen)
{
	struct link l;
	int r;

	spec->name = v->name;
	spec->mac = v->have_mac ? v->mac : NULL;
	r = rtnl_link_get(v->name, &l);
	if (r && r != -ENODEV) {
		snprintf(err, errlen, "%s: %s", v->name, rtnl_error());
		return r;
	}
	if (!r && strcmp(l.kind, spec->kind)) {
		log_info("%s is a %s device: replacing it with an %s device",
			 v->name, l.kind[0] ? l.kind : "kind-less", spec->kind);
		if (!v->have_mac) {
			/* Peers know this MAC already: keep it. */
			memcpy(v->mac, l.mac, 6);
			v->have_mac = true;
			spec->mac = v->mac;
		}
		r = rtnl_link_del(l.ifindex);
		if (r) {
			snprintf(err, errlen, "deleting %s: %s", v->name, rtnl_error());
			return r;
		}
		r = -ENODEV;
	}
	if (!r && !matches(&l, spec)) {
		log_info("%s exists with another configuration: changing it", v->name);
		r = rtnl_vtep_change(l.ifindex, spec);
		if (r) {
			log_warn("%s: could not change it (%s): recreating it", v->name, rtnl_error());
			if (!v->have_mac) {
				memcpy(v->mac, l.mac, 6);
				v->have_mac = true;
				spec->mac = v->mac;
			}
			if (rtnl_link_del(l.ifindex)) {
				snprintf(err, errlen, "deleting %s: %s", v->name, rtnl_error());
				return -EIO;
			}
			r = -ENODEV;
		}
	}
	if (r == -ENODEV) {
		log_info("creating %s (%s, VNI %u, port %u)", v->name, spec->kind,
			 spec->vni, spec->port);
		r = rtnl_vtep_create(spec);
		if (r) {
			snprintf(err, errlen, "creating %s: %s", v->name, rtnl_error());
			return r;
		}
		no_router_adverts(v->name);
	}
	r = rtnl_link_get(v->name, &l);
	if (r) {
		snprintf(err, errlen, "%s: %s", v->name, rtnl_error());
		return r;
	}
	v->ifindex = l.ifindex;
	memcpy(v->mac, l.mac, 6);
	v->have_mac = true;
	if (addr) {
		r = set_address(v, addr, err, errlen);
		if (r)
			return r;
	}
	if (!(l.flags & IFF_UP) && rtnl_link_set_up(v->ifindex)) {
		snprintf(err, errlen, "%s: up: %s", v->name, rtnl_error());
		return -EIO;
	}
	return 0;
}
