// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "log.h"
#include "reconcile.h"
#include "rtnl.h"

/* The VTEP address of a subnet: its network address, as flannel uses it. */
static void want_family(const struct dataplane *dp, const struct peer *p, bool v6,
			struct prog *w)
{
	const struct lease *l = &p->l;
	struct route r;

	memset(w, 0, sizeof(*w));
	if (!peer_usable(p) || (v6 ? !dp->vtep6 || !l->has_v6 || !l->data6.present :
				     !dp->vtep4 || !l->has_v4))
		return;
	w->on = true;
	w->sn = v6 ? l->subnet6 : l->subnet;
	w->gw = w->sn.ip;
	w->pub = v6 ? l->public_ipv6 : l->public_ip;
	memcpy(w->mac, v6 ? l->data6.mac : l->data.mac, 6);
	/* flannel's ip.DirectRouting: the kernel reaches the peer without a gateway. */
	if (dp->cfg->direct_routing && !rtnl_route_get(&w->pub, &r) && !r.gw.family &&
	    r.oif == dp->ext)
		w->direct = true;
}

static void count(struct reconcile_stats *st, int r, const char *what,
		  const struct prog *w)
{
	char a[NET_STRLEN];

	if (!r || r == -ENOENT || r == -ESRCH)
		return;
	st->failed++;
	log_warn("%s for %s: %s", what, net_fmt(&w->sn, a), rtnl_error());
}

static void route_of(const struct dataplane *dp, const struct prog *w, bool v6,
		     struct route *r)
{
	memset(r, 0, sizeof(*r));
	r->dst = w->sn;
	if (w->direct) {
		r->gw = w->pub;
		r->oif = dp->ext;
	} else {
		r->gw = w->gw;
		r->oif = v6 ? dp->vtep6 : dp->vtep4;
		r->onlink = true;
	}
}

/* Write what w needs (replace: whatever was there for those keys goes). */
static void apply(const struct dataplane *dp, const struct prog *w, bool v6,
		  struct reconcile_stats *st)
{
	int dev = v6 ? dp->vtep6 : dp->vtep4;
	struct route r;

	if (!w->on)
		return;
	if (!w->direct) {
		count(st, rtnl_neigh_replace(dev, &w->gw, w->mac), "neighbour entry", w);
		count(st, rtnl_fdb_replace(dev, w->mac, &w->pub), "FDB entry", w);
	}
	route_of(dp, w, v6, &r);
	count(st, rtnl_route_replace(&r), "route", w);
}

/* Remove what old had and now no longer needs. */
static void retire(const struct dataplane *dp, const struct prog *old,
		   const struct prog *now, bool v6, struct reconcile_stats *st)
{
	int dev = v6 ? dp->vtep6 : dp->vtep4;
	bool had_tunnel = old->on && !old->direct;
	bool has_tunnel = now->on && !now->direct;
	struct route r;

	if (!old->on)
		return;
	if (had_tunnel && !(has_tunnel && addr_eq(&old->gw, &now->gw)))
		count(st, rtnl_neigh_del(dev, &old->gw), "removing neighbour entry", old);
	if (had_tunnel && !(has_tunnel && !memcmp(old->mac, now->mac, 6) &&
			    addr_eq(&old->pub, &now->pub)))
		count(st, rtnl_fdb_del(dev, old->mac, &old->pub), "removing FDB entry", old);
	if (!now->on || !net_eq(&old->sn, &now->sn)) {
		route_of(dp, old, v6, &r);
		count(st, rtnl_route_del(&r), "removing route", old);
	}
	st->removed += !now->on;
}

static bool prog_eq(const struct prog *a, const struct prog *b)
{
	return a->on == b->on && a->direct == b->direct && net_eq(&a->sn, &b->sn) &&
	       addr_eq(&a->pub, &b->pub) && !memcmp(a->mac, b->mac, 6);
}

static void program_family(const struct dataplane *dp, struct peer *p, bool v6,
			   struct reconcile_stats *st)
{
	struct prog *done = v6 ? &p->done6 : &p->done4, want;

	want_family(dp, p, v6, &want);
	if (prog_eq(&want, done))
		return;
	if (want.on)
		*(done->on ? &st->changed : &st->added) += 1;
	apply(dp, &want, v6, st);
	retire(dp, done, &want, v6, st);
	*done = want;
}

void peer_program(const struct dataplane *dp, struct peer *p,
		  struct reconcile_stats *st)
{
	program_family(dp, p, false, st);
	program_family(dp, p, true, st);
}

void peer_unprogram(const struct dataplane *dp, struct peer *p,
		    struct reconcile_stats *st)
{
	struct prog none = { 0 };

	retire(dp, &p->done4, &none, false, st);
	retire(dp, &p->done6, &none, true, st);
	p->done4 = p->done6 = none;
}

/* --- the whole table against the kernel ------------------------------ */

struct want_set {
	struct prog *v;
	int n;
};

static bool have_neigh(const struct rtnl_list *l, const struct prog *w)
{
	for (int i = 0; i < l->n; i++) {
		const struct neigh *n = (const struct neigh *)l->v + i;

		if ((n->state & NUD_PERMANENT) && addr_eq(&n->ip, &w->gw) &&
		    !memcmp(n->mac, w->mac, 6))
			return true;
	}
	return false;
}

static bool have_fdb(const struct rtnl_list *l, const struct prog *w)
{
	for (int i = 0; i < l->n; i++) {
		const struct fdb *f = (const struct fdb *)l->v + i;

		if (!memcmp(f->mac, w->mac, 6) && addr_eq(&f->dst, &w->pub))
			return true;
	}
	return false;
}

static bool have_route(const struct rtnl_list *l, const struct route *want)
{
	for (int i = 0; i < l->n; i++) {
		const struct route *r = (const struct route *)l->v + i;

		if (net_eq(&r->dst, &want->dst) && addr_eq(&r->gw, &want->gw) &&
		    r->oif == want->oif)
			return true;
	}
	return false;
}

/* Is route r one of ours: via a VTEP, or a direct route into the network? */
/* A stale entry's removal; gone already is fine. */
static void count_del(struct reconcile_stats *st, int r)
{
	st->removed++;
	if (r && r != -ENOENT && r != -ESRCH) {
		st->failed++;
		log_warn("removing it: %s", rtnl_error());
	}
}

static bool ours(const struct dataplane *dp, const struct netplan *plan, int vtep,
		 const struct route *r)
{
	if (r->protocol == RTPROT_KERNEL || r->type != RTN_UNICAST)
		return false;
	if (r->oif == vtep)
		return true;
	return r->oif == dp->ext && r->gw.family && net_contains_net(&plan->network, &r->dst) &&
	       r->dst.plen > plan->network.plen;
}

static int reconcile_family(const struct dataplane *dp, struct peers *ps, bool v6,
			    struct reconcile_stats *st)
{
	const struct netplan *plan = v6 ? &dp->cfg->v6 : &dp->cfg->v4;
	int dev = v6 ? dp->vtep6 : dp->vtep4, family = v6 ? AF_INET6 : AF_INET;
	struct rtnl_list neigh = RTNL_LIST(struct neigh), fdb = RTNL_LIST(struct fdb);
	struct rtnl_list routes = RTNL_LIST(struct route);
	struct prog *want = NULL;
	int r, n = 0;

	if (!dev)
		return 0;
	r = rtnl_neigh_list(dev, family, &neigh);
	if (!r)
		r = rtnl_fdb_list(dev, &fdb);
	if (!r)
		r = rtnl_route_list(family, &routes);
	if (r) {
		log_warn("reading the kernel's entries: %s", rtnl_error());
		goto out;
	}
	want = calloc(ps->n + 1, sizeof(*want));
	if (!want) {
		r = -ENOMEM;
		goto out;
	}

	/* 1. Write what is missing or different. */
	for (int i = 0; i < ps->n; i++) {
		struct peer *p = ps->v[i];
		struct prog *w = &want[n];
		struct route rt;

		want_family(dp, p, v6, w);
		*(v6 ? &p->done6 : &p->done4) = *w;
		if (!w->on)
			continue;
		n++;
		route_of(dp, w, v6, &rt);
		if (!w->direct && !have_neigh(&neigh, w)) {
			count(st, rtnl_neigh_replace(dev, &w->gw, w->mac), "neighbour entry", w);
			st->changed++;
		}
		if (!w->direct && !have_fdb(&fdb, w)) {
			count(st, rtnl_fdb_replace(dev, w->mac, &w->pub), "FDB entry", w);
			st->changed++;
		}
		if (!have_route(&routes, &rt)) {
			count(st, rtnl_route_replace(&rt), "route", w);
			st->changed++;
		}
	}

	/* 2. Then delete what belongs to no lease. */
	for (int i = 0; i < neigh.n; i++) {
		const struct neigh *e = (const struct neigh *)neigh.v + i;
		bool keep = !(e->state & NUD_PERMANENT);
		char a[ADDR_STRLEN];

		for (int k = 0; k < n && !keep; k++)
			keep = !want[k].direct && addr_eq(&want[k].gw, &e->ip);
		if (keep)
			continue;
		log_info("removing stale neighbour entry %s", addr_fmt(&e->ip, a));
		count_del(st, rtnl_neigh_del(dev, &e->ip));
	}
	for (int i = 0; i < fdb.n; i++) {
		const struct fdb *e = (const struct fdb *)fdb.v + i;
		bool keep = e->dst.family != family;	/* local, or the other family's */
		char m[MAC_STRLEN], a[ADDR_STRLEN];

		for (int k = 0; k < n && !keep; k++)
			keep = !want[k].direct && !memcmp(want[k].mac, e->mac, 6) &&
			       addr_eq(&want[k].pub, &e->dst);
		if (keep)
			continue;
		log_info("removing stale FDB entry %s dst %s", mac_fmt(e->mac, m),
			 addr_fmt(&e->dst, a));
		count_del(st, rtnl_fdb_del(dev, e->mac, &e->dst));
	}
	for (int i = 0; i < routes.n; i++) {
		const struct route *e = (const struct route *)routes.v + i;
		bool keep = !ours(dp, plan, dev, e);
		char a[NET_STRLEN];

		for (int k = 0; k < n && !keep; k++) {
			struct route rt;

			route_of(dp, &want[k], v6, &rt);
			keep = net_eq(&rt.dst, &e->dst) && addr_eq(&rt.gw, &e->gw) &&
			       rt.oif == e->oif;
		}
		if (keep)
			continue;
		log_info("removing stale route %s", net_fmt(&e->dst, a));
		count_del(st, rtnl_route_del(e));
	}
out:
	free(want);
	rtnl_list_free(&neigh);
	rtnl_list_free(&fdb);
	rtnl_list_free(&routes);
	return r;
}

int reconcile_all(const struct dataplane *dp, struct peers *ps,
		  struct reconcile_stats *st)
{
	int r = reconcile_family(dp, ps, false, st);

	if (!r)
		r = reconcile_family(dp, ps, true, st);
	return r;
}
