// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <ifaddrs.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "iface.h"
#include "rtnl.h"

static bool usable(const struct sockaddr *sa, int family)
{
	const struct sockaddr_in6 *s6 = (const void *)sa;

	if (!sa || sa->sa_family != family)
		return false;
	/* flannel skips IPv6 link-local addresses. */
	return family == AF_INET || !IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr);
}

static void to_addr(const struct sockaddr *sa, struct ipaddr *a)
{
	if (sa->sa_family == AF_INET)
		addr_from_bytes(a, AF_INET, &((const struct sockaddr_in *)sa)->sin_addr);
	else
		addr_from_bytes(a, AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr);
}

/* The first usable address of the family on the interface named name. */
static bool first_addr(struct ifaddrs *all, const char *name, int family,
		       struct ipaddr *a)
{
	for (struct ifaddrs *i = all; i; i = i->ifa_next) {
		if (!strcmp(i->ifa_name, name) && usable(i->ifa_addr, family)) {
			to_addr(i->ifa_addr, a);
			return true;
		}
	}
	memset(a, 0, sizeof(*a));
	return false;
}

/* The interface holding address want; its name in name. */
static bool holder(struct ifaddrs *all, const struct ipaddr *want, char *name)
{
	for (struct ifaddrs *i = all; i; i = i->ifa_next) {
		struct ipaddr a;

		if (!usable(i->ifa_addr, want->family))
			continue;
		to_addr(i->ifa_addr, &a);
		if (addr_eq(&a, want)) {
			snprintf(name, IF_NAMESIZE, "%s", i->ifa_name);
			return true;
		}
	}
	return false;
}

/* Fill x for interface name; the address wanted, if --iface named one. */
static bool take(struct ifaddrs *all, const char *name, const struct ipaddr *fixed,
		 bool v4, bool v6, struct ext_iface *x, char *err, size_t errlen)
{
	struct link l;

	memset(x, 0, sizeof(*x));
	snprintf(x->name, sizeof(x->name), "%s", name);
	x->fixed = fixed != NULL;
	if (v4 && !(fixed && fixed->family == AF_INET ? (x->addr = *fixed, true) :
		    first_addr(all, name, AF_INET, &x->addr))) {
		snprintf(err, errlen, "interface %s has no IPv4 address", name);
		return false;
	}
	if (v6 && !(fixed && fixed->family == AF_INET6 ? (x->addr6 = *fixed, true) :
		    first_addr(all, name, AF_INET6, &x->addr6))) {
		snprintf(err, errlen, "interface %s has no global IPv6 address", name);
		return false;
	}
	if (rtnl_link_get(name, &l)) {
		snprintf(err, errlen, "interface %s: %s", name, rtnl_error());
		return false;
	}
	x->ifindex = l.ifindex;
	x->mtu = l.mtu;
	return true;
}

static bool by_regex(struct ifaddrs *all, const char *re, bool v4, bool v6,
		     struct ext_iface *x, char *err, size_t errlen)
{
	regex_t rx;
	bool found = false;

	if (regcomp(&rx, re, REG_EXTENDED | REG_NOSUB)) {
		snprintf(err, errlen, "--iface-regex %s: not a regular expression", re);
		return false;
	}
	for (struct ifaddrs *i = all; i && !found; i = i->ifa_next) {
		char a[ADDR_STRLEN];
		struct ipaddr ip;

		if (!regexec(&rx, i->ifa_name, 0, NULL, 0)) {
			found = take(all, i->ifa_name, NULL, v4, v6, x, err, errlen);
		} else if (usable(i->ifa_addr, AF_INET) || usable(i->ifa_addr, AF_INET6)) {
			to_addr(i->ifa_addr, &ip);
			if (!regexec(&rx, addr_fmt(&ip, a), 0, NULL, 0))
				found = take(all, i->ifa_name, &ip, v4, v6, x, err, errlen);
		}
	}
	regfree(&rx);
	return found;
}

/* --iface-can-reach: the interface and source address of the route to dst. */
static bool by_reach(struct ifaddrs *all, const char *dst, bool v4, bool v6,
		     struct ext_iface *x, char *err, size_t errlen)
{
	struct ipaddr ip;
	struct route r;
	struct link l;

	addr_parse(dst, &ip);
	if (rtnl_route_get(&ip, &r) || !r.oif) {
		snprintf(err, errlen, "no route to %s (--iface-can-reach): %s", dst, rtnl_error());
		return false;
	}
	if (rtnl_link_get_index(r.oif, &l)) {
		snprintf(err, errlen, "the route to %s: %s", dst, rtnl_error());
		return false;
	}
	return take(all, l.name, r.prefsrc.family ? &r.prefsrc : NULL, v4, v6, x, err, errlen);
}

/* The interface of the default route of the family. */
static bool default_route_iface(int family, char *name, char *err, size_t errlen)
{
	struct rtnl_list routes = RTNL_LIST(struct route);
	struct link l;
	int oif = 0;

	if (rtnl_route_list(family, &routes)) {
		snprintf(err, errlen, "reading routes: %s", rtnl_error());
		return false;
	}
	for (int i = 0; i < routes.n && !oif; i++) {
		const struct route *r = (const struct route *)routes.v + i;

		if (r->dst.plen == 0 && r->oif)
			oif = r->oif;
	}
	rtnl_list_free(&routes);
	if (!oif) {
		snprintf(err, errlen, "no default %s route: name the interface with --iface",
			 family == AF_INET ? "IPv4" : "IPv6");
		return false;
	}
	if (rtnl_link_get_index(oif, &l)) {
		snprintf(err, errlen, "default route's interface %d: %s", oif, rtnl_error());
		return false;
	}
	snprintf(name, IF_NAMESIZE, "%s", l.name);
	return true;
}

static void set_public(const struct options *o, struct ext_iface *x)
{
	x->pub = x->addr;
	x->pub6 = x->addr6;
	if (o->public_ip)
		addr_parse(o->public_ip, &x->pub);
	if (o->public_ipv6)
		addr_parse(o->public_ipv6, &x->pub6);
}

int iface_find(const struct options *o, bool v4, bool v6,
	       struct ext_iface *out, char *err, size_t errlen)
{
	struct ifaddrs *all;
	char name[IF_NAMESIZE], why[256] = "";
	bool found = false;

	if (getifaddrs(&all)) {
		snprintf(err, errlen, "getifaddrs: %s", strerror(errno));
		return -1;
	}
	for (int i = 0; i < o->iface.n && !found; i++) {
		const char *want = o->iface.v[i];
		struct ipaddr ip;

		if (addr_parse(want, &ip)) {
			if (holder(all, &ip, name))
				found = take(all, name, &ip, v4, v6, out, why, sizeof(why));
			else
				snprintf(why, sizeof(why), "no interface has address %s", want);
		} else if (if_nametoindex(want)) {
			found = take(all, want, NULL, v4, v6, out, why, sizeof(why));
		} else {
			snprintf(why, sizeof(why), "no interface named %s", want);
		}
	}
	for (int i = 0; i < o->iface_regex.n && !found; i++)
		found = by_regex(all, o->iface_regex.v[i], v4, v6, out, why, sizeof(why));
	if (!found && o->iface_can_reach)
		found = by_reach(all, o->iface_can_reach, v4, v6, out, why, sizeof(why));
	if (!found && !o->iface.n && !o->iface_regex.n && !o->iface_can_reach) {
		struct ipaddr ip;

		/* flanneld: --public-ip alone names the interface holding it. */
		if (o->public_ip && addr_parse(o->public_ip, &ip)) {
			if (holder(all, &ip, name))
				found = take(all, name, &ip, v4, v6, out, why, sizeof(why));
			else
				snprintf(why, sizeof(why), "no interface has address %s (--public-ip without --iface)",
					 o->public_ip);
		} else if (default_route_iface(v4 ? AF_INET : AF_INET6, name, why, sizeof(why))) {
			found = take(all, name, NULL, v4, v6, out, why, sizeof(why));
		}
	}
	freeifaddrs(all);
	if (!found) {
		snprintf(err, errlen, "failed to find any valid interface to use: %s",
			 why[0] ? why : "none matches");
		return -1;
	}
	set_public(o, out);
	return 0;
}

bool iface_refresh(const struct options *o, bool v4, bool v6, struct ext_iface *x)
{
	struct ifaddrs *all;
	struct ipaddr a = x->addr, a6 = x->addr6;
	struct link l;

	/* An address --iface named stays; else the first one, as at start. */
	if (x->fixed || getifaddrs(&all))
		return false;
	if (v4)
		first_addr(all, x->name, AF_INET, &a);
	if (v6)
		first_addr(all, x->name, AF_INET6, &a6);
	freeifaddrs(all);
	if (!rtnl_link_get_index(x->ifindex, &l))
		x->mtu = l.mtu;
	/* No address at all (being changed): keep the old one until one comes. */
	if ((v4 && !a.family) || (v6 && !a6.family) ||
	    ((!v4 || addr_eq(&a, &x->addr)) && (!v6 || addr_eq(&a6, &x->addr6))))
		return false;
	x->addr = a;
	x->addr6 = a6;
	set_public(o, x);
	return true;
}
