// SPDX-License-Identifier: GPL-2.0
/*
 * flannel's etcd subnet registry (pkg/subnet/etcd) over etcd.c: the config
 * at <prefix>/config, one key per lease at <prefix>/subnets/<subnet>, each
 * bound to an etcd lease of 24 hours.  A lease is created by a
 * transaction that succeeds only if the key does not exist, and renewed by
 * a put bound to a freshly granted etcd lease, as flanneld does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>

#include "alloc.h"
#include "etcd.h"
#include "flags.h"
#include "log.h"
#include "sm.h"
#include "watch.h"

#define LEASE_TTL	(24 * 3600)	/* flannel's subnetTTL */
#define RACE_RETRIES	10

struct sm_etcd {
	struct subnet_manager sm;
	struct etcd *e;
	struct watch *w;
	char cfg_key[256], prefix[256];	/* <prefix>/config, <prefix>/subnets/ */
	int64_t list_rev;
	bool moved_on;			/* failed over after the stream broke */
	struct watch_event ev;
	char err[512];
};

#define SE(sm) ((struct sm_etcd *)(sm))

static int map(struct sm_etcd *s, int r)
{
	if (r == ETCD_OK)
		return SM_OK;
	snprintf(s->err, sizeof(s->err), "%s", etcd_error(s->e));
	return r == ETCD_UNAVAILABLE ? SM_UNAVAILABLE : SM_FAILED;
}

static int get_config(struct subnet_manager *sm, struct netconfig *cfg,
		      char *err, size_t errlen)
{
	struct sm_etcd *s = SE(sm);
	struct etcd_kv kv;
	bool found;
	int r = etcd_get(s->e, s->cfg_key, &kv, &found);

	if (r)
		return map(s, r);
	if (!found) {
		snprintf(err, errlen, "%s: key not found", s->cfg_key);
		return SM_NOT_FOUND;
	}
	r = config_parse(kv.value, kv.value_len, cfg, err, errlen) ? SM_INVALID : SM_OK;
	etcd_kv_free(&kv);
	return r;
}

struct list_ctx {
	struct sm_etcd *s;
	void (*cb)(const struct sm_record *r, void *arg);
	void *arg;
};

static void record_of(struct sm_etcd *s, const struct etcd_kv *kv,
		      struct sm_record *r)
{
	size_t n = strlen(s->prefix);

	memset(r, 0, sizeof(*r));
	r->name = strncmp(kv->key, s->prefix, n) ? kv->key : kv->key + n;
	r->value = kv->value;
	r->value_len = kv->value_len;
	r->lease_id = kv->lease;
	r->create_revision = kv->create_revision;
	r->mod_revision = kv->mod_revision;
}

static void list_one(const struct etcd_kv *kv, void *arg)
{
	struct list_ctx *c = arg;
	struct sm_record r;

	record_of(c->s, kv, &r);
	c->cb(&r, c->arg);
}

static int list(struct subnet_manager *sm,
		void (*cb)(const struct sm_record *r, void *arg), void *arg)
{
	struct sm_etcd *s = SE(sm);
	struct list_ctx c = { s, cb, arg };

	return map(s, etcd_list(s->e, s->prefix, list_one, &c, &s->list_rev));
}

/* The leases as acquire needs them: subnets taken, and who holds what. */
struct taken {
	int n, cap;
	struct held {
		char name[LEASE_KEY_MAX];
		struct lease l;
		bool attrs_ok;
	} *v;
};

static void collect(const struct sm_record *r, void *arg)
{
	struct taken *t = arg;
	struct held *h;
	char why[128];

	if (t->n == t->cap) {
		int cap = t->cap ? 2 * t->cap : 64;
		struct held *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return;
		t->v = v;
		t->cap = cap;
	}
	h = &t->v[t->n];
	memset(h, 0, sizeof(*h));
	if (!lease_key_parse(r->name, &h->l))
		return;		/* not a subnet key: takes no subnet */
	snprintf(h->name, sizeof(h->name), "%s", r->name);
	h->attrs_ok = lease_value_decode(r->value, r->value_len, &h->l, why, sizeof(why));
	h->l.lease_id = r->lease_id;
	t->n++;
}

static bool plan_fits(const struct netconfig *cfg, const struct lease *l)
{
	if (cfg->v4.enabled != l->has_v4 || cfg->v6.enabled != l->has_v6)
		return false;
	return (!l->has_v4 || alloc_subnet_fits(&cfg->v4, &l->subnet)) &&
	       (!l->has_v6 || alloc_subnet_fits(&cfg->v6, &l->subnet6));
}

static bool subnet_free(const struct taken *t, const struct ipnet *sn)
{
	for (int i = 0; i < t->n; i++) {
		const struct lease *l = &t->v[i].l;

		if ((l->has_v4 && net_overlaps(&l->subnet, sn)) ||
		    (l->has_v6 && net_overlaps(&l->subnet6, sn)))
			return false;
	}
	return true;
}

static unsigned int pick(unsigned int n)
{
	unsigned int r = 0;

	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = (unsigned int)rand();
	return r % n;
}

static bool allocate(const struct netplan *p, const struct taken *t, bool v6,
		     struct ipnet *out)
{
	struct ipnet *nets = calloc(t->n + 1, sizeof(*nets));
	int n = 0;
	bool ok;

	if (!nets)
		return false;
	for (int i = 0; i < t->n; i++) {
		if (!v6 && t->v[i].l.has_v4)
			nets[n++] = t->v[i].l.subnet;
		else if (v6 && t->v[i].l.has_v6)
			nets[n++] = t->v[i].l.subnet6;
	}
	ok = alloc_subnet(p, nets, n, pick, out);
	free(nets);
	return ok;
}

static void key_of(struct sm_etcd *s, const struct lease *l, char *buf, size_t len)
{
	char name[LEASE_KEY_MAX];

	lease_key_name(l, name, sizeof(name));
	snprintf(buf, len, "%s%s", s->prefix, name);
}

/*
 * Write *ours bound to a new etcd lease (none for a reservation): created
 * if the key does not exist, or else replaced if it is still bound to the
 * etcd lease ours had.
 */
static int put_lease(struct sm_etcd *s, struct lease *ours, bool reservation,
		     bool create, bool *done)
{
	char key[512], *value = lease_value_encode(ours);
	int64_t id = 0, old = ours->lease_id;
	int r = ETCD_OK;

	*done = false;
	if (!value) {
		snprintf(s->err, sizeof(s->err), "out of memory");
		return SM_FAILED;
	}
	key_of(s, ours, key, sizeof(key));
	if (!reservation)
		r = etcd_lease_grant(s->e, LEASE_TTL, &id);
	if (!r)
		r = create ? etcd_put_if(s->e, key, value, id, "VERSION", 0, done) :
			     etcd_put_if(s->e, key, value, id, "LEASE", old, done);
	free(value);
	if (r || !*done) {
		if (id)
			etcd_lease_revoke(s->e, id);
		return map(s, r);
	}
	/* The key left the old etcd lease: drop it rather than wait a day. */
	if (old && old != id)
		etcd_lease_revoke(s->e, old);
	ours->lease_id = id;
	ours->expires = reservation ? 0 : time(NULL) + LEASE_TTL;
	return SM_OK;
}

/*
 * Does the key of our previous subnet hold a value nobody can use (not a
 * lease)?  Then it is still ours: *ours gets that subnet and the key's
 * etcd lease, to be replaced only if it is still bound to it.
 */
static bool garbage_at(const struct taken *t, const struct netconfig *cfg,
		       const struct sm_request *req, struct lease *ours)
{
	struct lease want = *ours;
	char name[LEASE_KEY_MAX];

	if ((cfg->v4.enabled && !req->prior) || (cfg->v6.enabled && !req->prior6))
		return false;
	if (cfg->v4.enabled)
		want.subnet = *req->prior;
	if (cfg->v6.enabled)
		want.subnet6 = *req->prior6;
	lease_key_name(&want, name, sizeof(name));
	for (int i = 0; i < t->n; i++) {
		if (strcmp(t->v[i].name, name) || t->v[i].attrs_ok)
			continue;
		*ours = want;
		ours->lease_id = t->v[i].l.lease_id;
		return true;
	}
	return false;
}

static int try_acquire(struct sm_etcd *s, const struct sm_request *req)
{
	const struct netconfig *cfg = req->cfg;
	struct lease *ours = req->ours;
	struct taken t = { 0 };
	char a[NET_STRLEN], b[NET_STRLEN];
	bool done, have = false;
	int r;

	r = list(&s->sm, collect, &t);
	if (r)
		goto out;

	/* 1. A lease that holds our public address is ours from an earlier run. */
	for (int i = 0; i < t.n && !have; i++) {
		struct held *h = &t.v[i];
		const struct ipaddr *mine = cfg->v4.enabled ? &ours->public_ip : &ours->public_ipv6;
		const struct ipaddr *its = cfg->v4.enabled ? &h->l.public_ip : &h->l.public_ipv6;

		if (!h->attrs_ok || !addr_eq(mine, its))
			continue;
		if (!plan_fits(cfg, &h->l)) {
			log_info("found lease %s for our address, not compatible with the network config: deleting it",
				 h->name);
			char key[512];

			snprintf(key, sizeof(key), "%s%s", s->prefix, h->name);
			r = map(s, etcd_delete(s->e, key));
			if (r)
				goto out;
			h->l.has_v4 = h->l.has_v6 = false;	/* its subnets are free now */
			continue;
		}
		log_info("found lease %s for our address, reusing it", h->name);
		ours->has_v4 = h->l.has_v4;
		ours->has_v6 = h->l.has_v6;
		ours->subnet = h->l.subnet;
		ours->subnet6 = h->l.subnet6;
		ours->lease_id = h->l.lease_id;
		r = put_lease(s, ours, h->l.lease_id == 0, false, &done);
		if (!r && !done)
			r = -EAGAIN;	/* it changed since the list: look again */
		goto out;
	}

	/* 2. The subnet in the subnet file, if it is still free and fits. */
	ours->has_v4 = cfg->v4.enabled;
	ours->has_v6 = cfg->v6.enabled;
	ours->lease_id = 0;
	if (garbage_at(&t, cfg, req, ours)) {
		lease_key_name(ours, b, sizeof(b));
		log_warn("the key of our previous subnet %s holds no lease anyone can use: taking it back", b);
		r = put_lease(s, ours, false, false, &done);
		if (!r && !done)
			r = -EAGAIN;
		goto out;
	}
	if ((req->prior || !cfg->v4.enabled) && (req->prior6 || !cfg->v6.enabled)) {
		bool fits = (!cfg->v4.enabled || alloc_subnet_fits(&cfg->v4, req->prior)) &&
			    (!cfg->v6.enabled || alloc_subnet_fits(&cfg->v6, req->prior6));
		bool free_ = (!cfg->v4.enabled || subnet_free(&t, req->prior)) &&
			     (!cfg->v6.enabled || subnet_free(&t, req->prior6));

		if (cfg->v4.enabled)
			net_fmt(req->prior, a);
		else
			net_fmt(req->prior6, a);
		if (fits && free_) {
			log_info("found previously leased subnet %s, reusing it", a);
			if (cfg->v4.enabled)
				ours->subnet = *req->prior;
			if (cfg->v6.enabled)
				ours->subnet6 = *req->prior6;
			have = true;
		} else if (!fits) {
			log_warn("previously leased subnet %s does not fit the network config: ignoring it", a);
		} else {
			log_warn("previously leased subnet %s is taken by another node", a);
		}
	}

	/* 3. A random one of the first free subnets. */
	if (!have) {
		if ((cfg->v4.enabled && !allocate(&cfg->v4, &t, false, &ours->subnet)) ||
		    (cfg->v6.enabled && !allocate(&cfg->v6, &t, true, &ours->subnet6))) {
			snprintf(s->err, sizeof(s->err), "out of subnets: every subnet of the network is leased");
			r = SM_NO_SUBNET;
			goto out;
		}
	}
	r = put_lease(s, ours, false, true, &done);
	if (!r && !done) {
		lease_key_name(ours, b, sizeof(b));
		log_info("subnet %s was taken by another node meanwhile: trying again", b);
		r = -EAGAIN;
	} else if (!r) {
		lease_key_name(ours, b, sizeof(b));
		log_info("allocated lease %s", b);
	}
out:
	free(t.v);
	return r;
}

static int acquire(struct subnet_manager *sm, const struct sm_request *req)
{
	struct sm_etcd *s = SE(sm);
	struct sm_request again = *req;
	int r = -EAGAIN;

	/* After a lost race the prior subnet is taken: don't ask for it again. */
	again.prior = again.prior6 = NULL;
	for (int i = 0; i < RACE_RETRIES && r == -EAGAIN; i++)
		r = try_acquire(s, i ? &again : req);
	if (r == -EAGAIN) {
		snprintf(s->err, sizeof(s->err), "lost the race for a subnet %d times", RACE_RETRIES);
		r = SM_FAILED;
	}
	return r;
}

static int renew(struct subnet_manager *sm, const struct netconfig *cfg,
		 struct lease *ours)
{
	struct sm_etcd *s = SE(sm);
	bool done;
	int r;

	(void)cfg;
	r = put_lease(s, ours, ours->lease_id == 0 && ours->expires == 0, false, &done);
	if (!r && !done) {
		snprintf(s->err, sizeof(s->err), "the key is no longer bound to our etcd lease");
		return SM_LOST;
	}
	return r;
}

static int watch_start_(struct subnet_manager *sm)
{
	struct sm_etcd *s = SE(sm);

	s->moved_on = false;
	if (watch_start(s->w, s->list_rev + 1)) {
		snprintf(s->err, sizeof(s->err), "%s", watch_error(s->w));
		return SM_FAILED;
	}
	return SM_OK;
}

static bool watch_next(struct subnet_manager *sm, struct sm_record *r)
{
	struct sm_etcd *s = SE(sm);

	if (!watch_next_event(s->w, &s->ev))
		return false;
	record_of(s, &s->ev.kv, r);
	r->deleted = s->ev.deleted;
	/* Where the next list or watch must start to miss nothing. */
	if (s->ev.kv.mod_revision > s->list_rev)
		s->list_rev = s->ev.kv.mod_revision;
	return true;
}

static void watch_record_done(struct subnet_manager *sm, struct sm_record *r)
{
	(void)r;
	etcd_kv_free(&SE(sm)->ev.kv);
}

static enum sm_watch watch_state_(struct subnet_manager *sm)
{
	struct sm_etcd *s = SE(sm);

	switch (watch_state(s->w)) {
	case WATCH_RUNNING:
		if (watch_next_rev(s->w) - 1 > s->list_rev)
			s->list_rev = watch_next_rev(s->w) - 1;
		return watch_created(s->w) ? SM_WATCH_LIVE : SM_WATCH_CONNECTING;
	case WATCH_COMPACTED:
		snprintf(s->err, sizeof(s->err), "%s", watch_error(s->w));
		watch_stop(s->w);
		return SM_WATCH_RELIST;
	default:
		snprintf(s->err, sizeof(s->err), "%s", watch_error(s->w));
		if (!s->moved_on) {
			etcd_next_endpoint(s->e);
			s->moved_on = true;
		}
		watch_stop(s->w);
		return SM_WATCH_BROKEN;
	}
}

static const char *error(struct subnet_manager *sm)
{
	return SE(sm)->err;
}

static const char *where(struct subnet_manager *sm)
{
	return etcd_endpoint(SE(sm)->e);
}

static void sm_free(struct subnet_manager *sm)
{
	struct sm_etcd *s = SE(sm);

	watch_free(s->w);
	etcd_free(s->e);
	curl_multi_cleanup(s->sm.multi);
	free(s);
}

static const struct sm_ops etcd_ops = {
	.get_config = get_config,
	.list = list,
	.acquire = acquire,
	.renew = renew,
	.watch_start = watch_start_,
	.watch_next = watch_next,
	.watch_record_done = watch_record_done,
	.watch_state = watch_state_,
	.error = error,
	.where = where,
	.free = sm_free,
};

struct subnet_manager *sm_etcd_new(const struct options *o)
{
	struct sm_etcd *s = calloc(1, sizeof(*s));
	const char *p = o->etcd_prefix;
	size_t n = strlen(p);

	if (!s)
		return NULL;
	/* "/coreos.com/network/" and "/coreos.com/network" name the same. */
	while (n > 1 && p[n - 1] == '/')
		n--;
	snprintf(s->cfg_key, sizeof(s->cfg_key), "%.*s/config", (int)n, p);
	snprintf(s->prefix, sizeof(s->prefix), "%.*s/subnets/", (int)n, p);
	s->sm.ops = &etcd_ops;
	s->sm.multi = curl_multi_init();
	s->e = etcd_new(o);
	s->w = s->sm.multi && s->e ? watch_new(s->e, s->sm.multi, s->prefix) : NULL;
	if (!s->w) {
		etcd_free(s->e);
		if (s->sm.multi)
			curl_multi_cleanup(s->sm.multi);
		free(s);
		return NULL;
	}
	return &s->sm;
}
