// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "peers.h"

struct peer *peers_find(struct peers *ps, const char *name)
{
	for (int i = 0; i < ps->n; i++) {
		if (!strcmp(ps->v[i]->name, name))
			return ps->v[i];
	}
	return NULL;
}

bool peer_usable(const struct peer *p)
{
	return p->valid && !p->dup;
}

int peers_usable_count(const struct peers *ps)
{
	int n = 0;

	for (int i = 0; i < ps->n; i++)
		n += peer_usable(ps->v[i]);
	return n;
}

static bool judge_family(struct peer *p, const struct netplan *plan,
			 const struct ipnet *sn, const struct ipaddr *pub,
			 const struct ipaddr *our_pub, const struct backend_data *d,
			 const struct netconfig *cfg, const char *fam)
{
	char a[NET_STRLEN], b[NET_STRLEN];

	if (!net_contains_net(&plan->network, sn)) {
		snprintf(p->why, sizeof(p->why), "%s subnet %s is outside the network %s",
			 fam, net_fmt(sn, a), net_fmt(&plan->network, b));
		return false;
	}
	if (addr_is_unspec(pub)) {
		snprintf(p->why, sizeof(p->why), "it has no %s PublicIP", fam);
		return false;
	}
	if (addr_eq(pub, our_pub)) {
		snprintf(p->why, sizeof(p->why), "its PublicIP %s is this node's",
			 addr_fmt(pub, a));
		return false;
	}
	if (!d->present) {
		snprintf(p->why, sizeof(p->why), "it has no %s backend data (VNI, VtepMAC)", fam);
		return false;
	}
	if (d->vni != cfg->vni) {
		snprintf(p->why, sizeof(p->why), "its VNI %u is not the network's %u",
			 d->vni, cfg->vni);
		return false;
	}
	return true;
}

static void judge(struct peer *p, const struct sm_record *r,
		  const struct netconfig *cfg, const struct lease *ours)
{
	struct lease l;
	char why[160];

	memset(&l, 0, sizeof(l));
	p->valid = false;
	p->why[0] = '\0';
	if (!lease_key_parse(p->name, &l)) {
		snprintf(p->why, sizeof(p->why), "the key is not a subnet (\"10.244.3.0-24\")");
		return;
	}
	if (!lease_value_decode(r->value, r->value_len, &l, why, sizeof(why))) {
		snprintf(p->why, sizeof(p->why), "%s", why);
		return;
	}
	p->l = l;
	/* flannel's vxlan backend compares exactly. */
	if (strcmp(l.backend_type, "vxlan")) {
		snprintf(p->why, sizeof(p->why), "its backend is \"%s\", not vxlan", l.backend_type);
		return;
	}
	if (cfg->v4.enabled && !l.has_v4) {
		snprintf(p->why, sizeof(p->why), "it has no IPv4 subnet");
		return;
	}
	if (cfg->v4.enabled &&
	    !judge_family(p, &cfg->v4, &l.subnet, &l.public_ip, &ours->public_ip,
			  &l.data, cfg, "IPv4"))
		return;
	/* A node without IPv6 in a dual-stack network is used over IPv4 only. */
	if (cfg->v6.enabled && l.has_v6 &&
	    !judge_family(p, &cfg->v6, &l.subnet6, &l.public_ipv6, &ours->public_ipv6,
			  &l.data6, cfg, "IPv6"))
		return;
	if (!cfg->v4.enabled && !(l.has_v6 && l.data6.present)) {
		snprintf(p->why, sizeof(p->why), "it has no IPv6 subnet");
		return;
	}
	p->valid = true;
}

struct peer *peers_upsert(struct peers *ps, const struct sm_record *r,
			  const struct netconfig *cfg, const struct lease *ours)
{
	struct peer *p = peers_find(ps, r->name);

	if (!p) {
		if (ps->n == ps->cap) {
			int cap = ps->cap ? 2 * ps->cap : 64;
			struct peer **v = realloc(ps->v, cap * sizeof(*v));

			if (!v)
				return NULL;
			ps->v = v;
			ps->cap = cap;
		}
		p = calloc(1, sizeof(*p));
		if (!p)
			return NULL;
		snprintf(p->name, sizeof(p->name), "%s", r->name);
		ps->v[ps->n++] = p;
	}
	p->create_rev = r->create_revision;
	p->mod_rev = r->mod_revision;
	p->l.lease_id = r->lease_id;
	judge(p, r, cfg, ours);
	return p;
}

void peers_remove(struct peers *ps, struct peer *p)
{
	for (int i = 0; i < ps->n; i++) {
		if (ps->v[i] == p) {
			ps->v[i] = ps->v[--ps->n];
			free(p);
			return;
		}
	}
}

void peers_free(struct peers *ps)
{
	for (int i = 0; i < ps->n; i++)
		free(ps->v[i]);
	free(ps->v);
	memset(ps, 0, sizeof(*ps));
}

static const struct ipaddr *pub_of(const struct peer *p)
{
	return p->l.public_ip.family ? &p->l.public_ip : &p->l.public_ipv6;
}

void peers_settle(struct peers *ps, const struct ipaddr *a,
		  void (*cb)(struct peer *p, void *arg), void *arg)
{
	struct peer *oldest = NULL;
	char s[ADDR_STRLEN];

	if (!a->family)
		return;
	for (int i = 0; i < ps->n; i++) {
		struct peer *p = ps->v[i];

		if (!p->valid || !addr_eq(pub_of(p), a))
			continue;
		if (!oldest || p->create_rev < oldest->create_rev ||
		    (p->create_rev == oldest->create_rev && strcmp(p->name, oldest->name) < 0))
			oldest = p;
	}
	for (int i = 0; i < ps->n; i++) {
		struct peer *p = ps->v[i];
		bool dup;

		if (!p->valid || !addr_eq(pub_of(p), a))
			continue;
		dup = p != oldest;
		if (dup)
			snprintf(p->why, sizeof(p->why), "its PublicIP %s is claimed by the older lease %s",
				 addr_fmt(a, s), oldest->name);
		if (dup != p->dup) {
			p->dup = dup;
			cb(p, arg);
		}
	}
}
