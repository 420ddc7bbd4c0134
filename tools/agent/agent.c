// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "agent.h"
#include "clock.h"
#include "files.h"
#include "jsonutil.h"
#include "log.h"
#include "masq.h"
#include "rtnl.h"
#include "status.h"

#define BACKOFF_FIRST_MS	500
#define BACKOFF_MAX_MS		10000	/* the bound on every retry */
#define RENEW_RETRY		60.0	/* seconds after a failed renewal */
#define KERNEL_DEBOUNCE		0.1	/* a burst of link events: one replay */
#define STATUS_DELAY		0.2
#define CONFIG_RETRY		1.0	/* flanneld polls for the config each second */

/* 0.5 s, doubling up to 10 s, each with up to a quarter more at random. */
static double backoff_next(struct backoff *b)
{
	unsigned int r = 0;
	double s;

	b->ms = b->ms ? 2 * b->ms : BACKOFF_FIRST_MS;
	if (b->ms > BACKOFF_MAX_MS)
		b->ms = BACKOFF_MAX_MS;
	if (getrandom(&r, sizeof(r), 0) != sizeof(r))
		r = 0;
	s = b->ms / 1000.0;
	return s + s * (r % 250) / 1000.0;
}

static void backoff_reset(struct backoff *b)
{
	b->ms = 0;
}

/* Earlier of a deadline and another (0 = none). */
static double earliest(double a, double b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

static void status_soon(struct agent *a)
{
	a->status_at = earliest(a->status_at, now_mono() + STATUS_DELAY);
}

static void kernel_soon(struct agent *a)
{
	a->kernel_at = earliest(a->kernel_at, now_mono() + KERNEL_DEBOUNCE);
}

/* --- signals --------------------------------------------------------- */

static int signals_open(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* Read pending signals: stop on TERM/INT, re-list on HUP. */
static void signals_read(struct agent *a)
{
	struct signalfd_siginfo si;

	while (read(a->sig_fd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGHUP) {
			log_info("SIGHUP: re-listing the leases");
			a->need_relist = true;
			a->resync_at = now_mono();
		} else {
			log_info("%s: stopping (the lease, the device and its entries stay)",
				 strsignal((int)si.ssi_signo));
			a->stopping = true;
		}
	}
}

/* Wait up to s seconds during start-up; true if told to stop meanwhile. */
static bool pause_or_stop(struct agent *a, double s)
{
	struct pollfd p = { .fd = a->sig_fd, .events = POLLIN };

	if (poll(&p, 1, (int)(s * 1000)) > 0)
		signals_read(a);
	return a->stopping;
}

static void status_write(struct agent *a, const char *state)
{
	a->status_at = 0;
	if (status_publish_agent(a, state))
		log_debug(1, "writing %s failed", a->o->status_file);
}

/* --- start-up ---------------------------------------------------------- */

static int wait_for_config(struct agent *a)
{
	char err[512];
	bool told = false;

	for (;;) {
		int r = a->sm->ops->get_config(a->sm, &a->cfg, err, sizeof(err));

		if (r == SM_OK) {
			a->etcd_ok = true;
			return 0;
		}
		if (r == SM_INVALID) {
			log_error("the network config is refused: %s", err);
			return 1;
		}
		if (r == SM_NOT_FOUND) {
			a->etcd_ok = true;
			if (!told)
				log_info("waiting for the network config (%s)", err);
			told = true;
			if (pause_or_stop(a, CONFIG_RETRY))
				return 0;
			continue;
		}
		a->etcd_ok = false;
		log_warn("etcd: %s: retrying", a->sm->ops->error(a->sm));
		if (pause_or_stop(a, backoff_next(&a->etcd_backoff)))
			return 0;
	}
}

/* Our VtepMAC(s) from a lease of an earlier run holding our address. */
struct mac_search {
	struct agent *a;
	int64_t best_rev;
};

static void find_our_mac(const struct sm_record *r, void *arg)
{
	struct mac_search *ms = arg;
	struct agent *a = ms->a;
	const struct ipaddr *mine = a->cfg.v4.enabled ? &a->ext.pub : &a->ext.pub6;
	struct lease l;
	char why[160];

	memset(&l, 0, sizeof(l));
	if (!lease_key_parse(r->name, &l) ||
	    !lease_value_decode(r->value, r->value_len, &l, why, sizeof(why)) ||
	    !addr_eq(a->cfg.v4.enabled ? &l.public_ip : &l.public_ipv6, mine) ||
	    (ms->best_rev && r->create_revision > ms->best_rev))
		return;
	ms->best_rev = r->create_revision;
	if (l.data.present) {
		memcpy(a->dev4.mac, l.data.mac, 6);
		a->dev4.have_mac = true;
	}
	if (l.data6.present) {
		memcpy(a->dev6.mac, l.data6.mac, 6);
		a->dev6.have_mac = true;
	}
}

static void spec_of(const struct agent *a, bool v6, struct vtep_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->kind = a->o->kind;
	s->vni = a->cfg.vni;
	s->port = a->cfg.port;
	s->local = v6 ? a->ext.addr6 : a->ext.addr;
	s->link = a->ext.ifindex;
	s->learning = a->cfg.learning;
	s->mtu = v6 ? a->mtu6 : a->mtu4;
}

/* The device of each family, with its address once we have a subnet. */
static int devices_ensure(struct agent *a)
{
	struct vtep_spec s;
	struct ipnet addr;
	char err[512];

	if (a->cfg.v4.enabled) {
		spec_of(a, false, &s);
		addr.ip = a->ours.subnet.ip;
		addr.plen = 32;
		if (vtep_ensure(&a->dev4, &s, a->our_name[0] ? &addr : NULL, err, sizeof(err))) {
			log_error("%s", err);
			return -1;
		}
	}
	if (a->cfg.v6.enabled) {
		spec_of(a, true, &s);
		addr.ip = a->ours.subnet6.ip;
		addr.plen = 128;
		if (vtep_ensure(&a->dev6, &s, a->our_name[0] && a->ours.has_v6 ? &addr : NULL,
				err, sizeof(err))) {
			log_error("%s", err);
			return -1;
		}
	}
	a->dp.vtep4 = a->dev4.ifindex;
	a->dp.vtep6 = a->dev6.ifindex;
	a->dp.ext = a->ext.ifindex;
	return 0;
}

static void our_attrs(struct agent *a)
{
	struct lease *l = &a->ours;

	memset(&l->public_ip, 0, sizeof(l->public_ip));
	memset(&l->public_ipv6, 0, sizeof(l->public_ipv6));
	if (a->cfg.v4.enabled)
		l->public_ip = a->ext.pub;
	if (a->cfg.v6.enabled)
		l->public_ipv6 = a->ext.pub6;
	snprintf(l->backend_type, sizeof(l->backend_type), "vxlan");
	l->data.present = a->cfg.v4.enabled;
	l->data.vni = a->cfg.vni;
	memcpy(l->data.mac, a->dev4.mac, 6);
	l->data6.present = a->cfg.v6.enabled;
	l->data6.vni = a->cfg.vni;
	memcpy(l->data6.mac, a->dev6.mac, 6);
}

/* Where the renewal falls: the margin before expiry. */
static void schedule_renew(struct agent *a)
{
	double left;

	if (!a->ours.expires) {
		a->renew_at = 0;	/* a reservation does not expire */
		return;
	}
	left = a->ours.expires - now_wall() - a->o->renew_margin * 60.0;
	a->renew_at = now_mono() + (left > 0 ? left : 0);
}

static int write_files(struct agent *a)
{
	struct node_facts f = {
		.cfg = &a->cfg,
		.subnet = a->ours.has_v4 ? &a->ours.subnet : NULL,
		.subnet6 = a->ours.has_v6 ? &a->ours.subnet6 : NULL,
		/* Containers' MTU: what fits through every device the node has. */
		.mtu = a->cfg.v6.enabled ? a->mtu6 : a->mtu4,
		.ip_masq = a->o->ip_masq,
	};
	int r = subnet_env_write(a->o->subnet_file, &f);

	if (r) {
		log_error("writing %s: %s", a->o->subnet_file, strerror(-r));
		return -1;
	}
	if (a->o->cni_conf[0]) {
		r = cni_conf_write(a->o->cni_conf, &f);
		if (r) {
			log_error("writing %s: %s", a->o->cni_conf, strerror(-r));
			return -1;
		}
	}
	return 0;
}

static int iptables_setup(struct agent *a)
{
	if (!a->o->ip_masq && !a->o->iptables_forward_rules)
		return 0;
	if (a->ours.has_v4 &&
	    masq_setup(AF_INET, &a->cfg.v4.network, &a->ours.subnet, a->o->ip_masq,
		       a->o->iptables_forward_rules))
		return -1;
	if (a->ours.has_v6 &&
	    masq_setup(AF_INET6, &a->cfg.v6.network, &a->ours.subnet6, a->o->ip_masq,
		       a->o->iptables_forward_rules))
		return -1;
	return 0;
}

/* Get a lease (ours from before, or a new one); retried until it works. */
static int acquire(struct agent *a, const struct ipnet *prior, const struct ipnet *prior6)
{
	struct sm_request req = { &a->cfg, &a->ours, prior, prior6 };
	char s[NET_STRLEN];

	our_attrs(a);
	for (;;) {
		int r = a->sm->ops->acquire(a->sm, &req);

		if (r == SM_OK)
			break;
		a->etcd_ok = r != SM_UNAVAILABLE;
		log_warn("acquiring a lease: %s: retrying", a->sm->ops->error(a->sm));
		if (pause_or_stop(a, backoff_next(&a->etcd_backoff)))
			return -1;
	}
	backoff_reset(&a->etcd_backoff);
	a->etcd_ok = true;
	lease_key_name(&a->ours, a->our_name, sizeof(a->our_name));
	log_info("lease %s is ours: public IP %s, expires in %.0f s", a->our_name,
		 addr_fmt(a->ours.public_ip.family ? &a->ours.public_ip : &a->ours.public_ipv6, s),
		 a->ours.expires ? a->ours.expires - now_wall() : 0);
	schedule_renew(a);
	status_soon(a);
	return 0;
}

/* --- peers ------------------------------------------------------------- */

static void reprogram(struct peer *p, void *arg)
{
	struct agent *a = arg;

	if (!peer_usable(p))
		log_warn("lease %s skipped: %s", p->name, p->why);
	else
		log_info("lease %s is used again", p->name);
	peer_program(&a->dp, p, &a->totals);
}

static const struct ipaddr *pub_of(const struct lease *l)
{
	return l->public_ip.family ? &l->public_ip : &l->public_ipv6;
}

static void reacquire(struct agent *a);
static void watch_open(struct agent *a);

/* A record about our own key: keep it as we wrote it. */
static void our_record(struct agent *a, const struct sm_record *r)
{
	char *mine;

	if (r->deleted) {
		log_warn("our lease %s was deleted: acquiring it again", a->our_name);
		reacquire(a);
		return;
	}
	mine = lease_value_encode(&a->ours);
	if (mine && (strlen(mine) != r->value_len || memcmp(mine, r->value, r->value_len) ||
		     r->lease_id != a->ours.lease_id)) {
		log_warn("our lease %s was changed by someone else: writing it back", a->our_name);
		/* Bound to its etcd lease no more: take it as new. */
		if (r->lease_id != a->ours.lease_id)
			reacquire(a);
		else if (a->sm->ops->renew(a->sm, &a->cfg, &a->ours))
			log_warn("writing our lease back: %s", a->sm->ops->error(a->sm));
		else
			schedule_renew(a);
	}
	free(mine);
}

/* One lease record, from the list or the watch. */
static void on_record(struct agent *a, const struct sm_record *r, bool from_watch)
{
	struct ipaddr old_pub = { 0 };
	bool was_usable = false, existed;
	struct lease old_l;
	char m[MAC_STRLEN], s[ADDR_STRLEN], old_why[sizeof(((struct peer *)0)->why)] = "";
	struct peer *p;

	if (!strcmp(r->name, a->our_name)) {
		our_record(a, r);
		return;
	}
	p = peers_find(&a->peers, r->name);
	existed = p != NULL;
	if (p) {
		old_pub = *pub_of(&p->l);
		was_usable = peer_usable(p);
		snprintf(old_why, sizeof(old_why), "%s", p->why);
		old_l = p->l;
	}
	if (r->deleted) {
		if (!p)
			return;
		log_info("lease %s removed", p->name);
		peer_unprogram(&a->dp, p, &a->totals);
		peers_remove(&a->peers, p);
		peers_settle(&a->peers, &old_pub, reprogram, a);
		status_soon(a);
		return;
	}
	p = peers_upsert(&a->peers, r, &a->cfg, &a->ours);
	if (!p) {
		log_error("out of memory: lease %s not kept", r->name);
		return;
	}
	if (!p->valid) {
		/* Said once per reason, not at every re-list. */
		if (!existed || was_usable || strcmp(old_why, p->why))
			log_warn("lease %s skipped: %s", p->name, p->why);
	} else if (existed && was_usable && lease_attrs_equal(&old_l, &p->l)) {
		/* A renewal: the same lease, bound to a new etcd lease. */
		log_debug(1, "lease %s renewed", p->name);
	} else if (from_watch || !existed) {
		log_info("lease %s %s: public IP %s, VtepMAC %s", p->name,
			 existed ? "changed" : "added", addr_fmt(pub_of(&p->l), s),
			 mac_fmt(p->l.data.present ? p->l.data.mac : p->l.data6.mac, m));
	}
	if (old_pub.family && !addr_eq(&old_pub, pub_of(&p->l)))
		peers_settle(&a->peers, &old_pub, reprogram, a);
	if (p->valid)
		peers_settle(&a->peers, pub_of(&p->l), reprogram, a);
	/* During a list the whole table is reconciled afterwards. */
	if (from_watch)
		peer_program(&a->dp, p, &a->totals);
	status_soon(a);
}

struct relist_ctx {
	struct agent *a;
	char **seen;
	int n, cap;
	bool ours_seen, oom;
};

static void relist_one(const struct sm_record *r, void *arg)
{
	struct relist_ctx *c = arg;

	if (c->n == c->cap) {
		int cap = c->cap ? 2 * c->cap : 256;
		char **v = realloc(c->seen, cap * sizeof(*v));

		if (!v) {
			c->oom = true;
			return;
		}
		c->seen = v;
		c->cap = cap;
	}
	c->seen[c->n] = strdup(r->name);
	if (!c->seen[c->n]) {
		c->oom = true;
		return;
	}
	c->n++;
	if (!strcmp(r->name, c->a->our_name))
		c->ours_seen = true;
	on_record(c->a, r, false);
}

static bool was_seen(const struct relist_ctx *c, const char *name)
{
	for (int i = 0; i < c->n; i++) {
		if (!strcmp(c->seen[i], name))
			return true;
	}
	return false;
}

/* Read every lease, forget those gone, reconcile the kernel, watch. */
static int relist(struct agent *a)
{
	struct relist_ctx c = { .a = a };
	struct reconcile_stats st = { 0 };
	int r = a->sm->ops->list(a->sm, relist_one, &c);

	if (!r && !c.oom) {
		for (int i = a->peers.n - 1; i >= 0; i--) {
			struct peer *p = a->peers.v[i];

			if (was_seen(&c, p->name))
				continue;
			log_info("lease %s is gone", p->name);
			peers_remove(&a->peers, p);
		}
		/* Settle who owns each public address now that all are known. */
		for (int i = 0; i < a->peers.n; i++)
			peers_settle(&a->peers, pub_of(&a->peers.v[i]->l), reprogram, a);
	}
	for (int i = 0; i < c.n; i++)
		free(c.seen[i]);
	free(c.seen);
	if (r || c.oom) {
		a->etcd_ok = r != SM_UNAVAILABLE;
		if (!a->etcd_ok && !a->etcd_down_since)
			a->etcd_down_since = now_wall();
		log_warn("listing the leases: %s", c.oom ? "out of memory" : a->sm->ops->error(a->sm));
		return -1;
	}
	a->etcd_ok = true;
	a->etcd_down_since = 0;
	a->relists++;
	a->last_sync = now_wall();
	if (!c.ours_seen) {
		log_warn("our lease %s is not in etcd: acquiring it again", a->our_name);
		reacquire(a);
	}
	if (reconcile_all(&a->dp, &a->peers, &st))
		log_warn("reconciling the kernel: %s", rtnl_error());
	if (st.changed || st.removed)
		log_info("reconciled %d leases: %d entries written, %d stale removed",
			 peers_usable_count(&a->peers), st.changed, st.removed);
	a->totals.failed += st.failed;
	a->need_relist = false;
	a->resync_at = now_mono() + a->o->resync;
	watch_open(a);
	status_soon(a);
	return 0;
}

/* Our lease is gone: take it again (its subnet if still free). */
static void reacquire(struct agent *a)
{
	struct ipnet sn = a->ours.subnet, sn6 = a->ours.subnet6;
	char before[LEASE_KEY_MAX];

	snprintf(before, sizeof(before), "%s", a->our_name);
	a->ours.lease_id = 0;
	if (acquire(a, a->ours.has_v4 ? &sn : NULL, a->ours.has_v6 ? &sn6 : NULL))
		return;
	if (strcmp(before, a->our_name)) {
		log_warn("our subnet changed from %s to %s: containers must be restarted",
			 before, a->our_name);
		if (devices_ensure(a) || write_files(a) || iptables_setup(a))
			log_error("applying the new subnet failed");
	}
}

static void renew(struct agent *a)
{
	int r = a->sm->ops->renew(a->sm, &a->cfg, &a->ours);

	if (r == SM_LOST) {
		log_warn("renewing our lease %s: %s: acquiring it again", a->our_name,
			 a->sm->ops->error(a->sm));
		reacquire(a);
		return;
	}
	if (r) {
		log_warn("renewing our lease: %s: retrying in %.0f s", a->sm->ops->error(a->sm),
			 RENEW_RETRY);
		a->renew_at = now_mono() + RENEW_RETRY;
		return;
	}
	a->renewals++;
	log_info("lease %s renewed: expires in %.0f s", a->our_name, a->ours.expires - now_wall());
	schedule_renew(a);
	status_soon(a);
}

/* --- the kernel side --------------------------------------------------- */

static void on_netlink(const struct rtnl_event *ev, void *arg)
{
	struct agent *a = arg;

	if (ev->type == EV_OVERRUN || ev->ifindex == a->dev4.ifindex ||
	    ev->ifindex == a->dev6.ifindex || ev->ifindex == a->ext.ifindex) {
		if (ev->type == EV_LINK_GONE && ev->ifindex != a->ext.ifindex)
			log_warn("device %d was deleted: recreating it",
				 ev->ifindex);
		kernel_soon(a);
	}
}

/* Recreate what is missing and replay every peer, from memory. */
static void kernel_replay(struct agent *a)
{
	struct reconcile_stats st = { 0 };
	char s[ADDR_STRLEN];

	a->kernel_at = 0;
	a->kernel_replays++;
	if (iface_refresh(a->o, a->cfg.v4.enabled, a->cfg.v6.enabled, &a->ext)) {
		log_info("%s's address is now %s: updating the device and our lease",
			 a->ext.name, addr_fmt(a->ext.addr.family ? &a->ext.addr : &a->ext.addr6, s));
		our_attrs(a);
		renew(a);
	}
	if (devices_ensure(a)) {
		a->kernel_at = now_mono() + 1;	/* e.g. the underlay is gone: retry */
		return;
	}
	if (reconcile_all(&a->dp, &a->peers, &st))
		log_warn("reconciling the kernel: %s", rtnl_error());
	if (st.changed || st.removed)
		log_info("replayed %d leases into the kernel: %d entries written, %d stale removed",
			 peers_usable_count(&a->peers), st.changed, st.removed);
	a->totals.failed += st.failed;
	status_soon(a);
}

/* --- the loop ---------------------------------------------------------- */

static void watch_drain(struct agent *a)
{
	struct sm_record r;

	while (a->sm->ops->watch_next(a->sm, &r)) {
		a->events++;
		on_record(a, &r, true);
		a->sm->ops->watch_record_done(a->sm, &r);
	}
	switch (a->sm->ops->watch_state(a->sm)) {
	case SM_WATCH_CONNECTING:
		return;
	case SM_WATCH_LIVE:
		if (!a->watch_live) {
			if (!a->etcd_ok)
				log_info("etcd is back (%s): the watch resumed", a->sm->ops->where(a->sm));
			a->watch_live = a->etcd_ok = true;
			a->etcd_down_since = 0;
			backoff_reset(&a->etcd_backoff);
			status_soon(a);
		}
		return;
	case SM_WATCH_RELIST:
		log_warn("etcd: %s: re-listing", a->sm->ops->error(a->sm));
		a->need_relist = true;
		break;
	case SM_WATCH_BROKEN:
		log_warn("etcd: %s", a->sm->ops->error(a->sm));
		if (!a->watch_live) {
			/* It broke before etcd confirmed it: etcd is not there. */
			if (a->etcd_ok)
				a->etcd_down_since = now_wall();
			a->etcd_ok = false;
		}
		a->need_rewatch = true;
		break;
	}
	a->watching = a->watch_live = false;
	a->watch_at = now_mono() + backoff_next(&a->etcd_backoff);
	status_soon(a);
}

static void watch_open(struct agent *a)
{
	a->need_rewatch = false;
	a->watch_live = false;
	if (a->sm->ops->watch_start(a->sm)) {
		log_warn("watching the leases: %s", a->sm->ops->error(a->sm));
		a->need_rewatch = true;
		a->watch_at = now_mono() + backoff_next(&a->etcd_backoff);
		return;
	}
	a->watching = true;
}

static int loop(struct agent *a)
{
	struct curl_waitfd fds[2] = {
		{ .fd = a->mon_fd, .events = CURL_WAIT_POLLIN },
		{ .fd = a->sig_fd, .events = CURL_WAIT_POLLIN },
	};

	while (!a->stopping) {
		double next = 0, t = now_mono();
		int running, n, ms;

		if (a->need_relist || a->need_rewatch)
			next = earliest(next, a->watch_at ? a->watch_at : t);
		next = earliest(next, a->renew_at);
		next = earliest(next, a->resync_at);
		next = earliest(next, a->kernel_at);
		next = earliest(next, a->status_at);
		ms = next ? (int)((next - t) * 1000) + 1 : 60000;
		if (ms < 0)
			ms = 0;
		fds[0].revents = fds[1].revents = 0;
		curl_multi_poll(a->sm->multi, fds, 2, ms > 60000 ? 60000 : ms, &n);
		curl_multi_perform(a->sm->multi, &running);
		if (fds[1].revents)
			signals_read(a);
		if (fds[0].revents && rtnl_monitor_read(on_netlink, a))
			log_warn("%s", rtnl_error());
		if (a->watching)
			watch_drain(a);

		t = now_mono();
		if (a->kernel_at && t >= a->kernel_at)
			kernel_replay(a);
		if (a->resync_at && t >= a->resync_at)
			a->need_relist = true;
		if (a->need_relist && (!a->watch_at || t >= a->watch_at)) {
			a->watch_at = 0;
			if (relist(a)) {
				a->watch_at = now_mono() + backoff_next(&a->etcd_backoff);
				status_soon(a);
			}
		} else if (a->need_rewatch && (!a->watch_at || t >= a->watch_at)) {
			a->watch_at = 0;
			watch_open(a);
		}
		if (a->renew_at && t >= a->renew_at)
			renew(a);
		if (a->status_at && now_mono() >= a->status_at)
			status_write(a, "running");
	}
	return 0;
}

static int setup(struct agent *a)
{
	struct ipnet prior, prior6;
	bool have, have6;
	struct mac_search ms = { a, 0 };
	char err[512], s[NET_STRLEN];
	unsigned int mtu;
	int r;

	r = wait_for_config(a);
	if (r || a->stopping)
		return r;
	backoff_reset(&a->etcd_backoff);
	log_info("network config: %s%s%s, VNI %u, port %u%s", a->cfg.v4.enabled ?
		 net_fmt(&a->cfg.v4.network, s) : "", a->cfg.v6.enabled ? " IPv6 " : "",
		 a->cfg.v6.enabled ? net_fmt(&a->cfg.v6.network, err) : "", a->cfg.vni,
		 a->cfg.port, a->cfg.direct_routing ? ", direct routing" : "");

	if (iface_find(a->o, a->cfg.v4.enabled, a->cfg.v6.enabled, &a->ext, err, sizeof(err))) {
		log_error("%s", err);
		return 1;
	}
	log_info("using interface %s (%s), public IP %s", a->ext.name,
		 addr_fmt(a->ext.addr.family ? &a->ext.addr : &a->ext.addr6, err),
		 addr_fmt(a->cfg.v4.enabled ? &a->ext.pub : &a->ext.pub6, s));
	/*
	 * flannel's vxlan MTU: Backend.MTU (else the underlay's) less the
	 * IPv4 encapsulation.  flanneld takes 50 off for IPv6 too, which
	 * leaves no room for the IPv6 header; ovl-agent takes 70.
	 */
	mtu = a->cfg.mtu ? (unsigned int)a->cfg.mtu : a->ext.mtu;
	if (mtu < 68 + 70) {
		log_error("MTU %u of %s leaves no room for the encapsulation", mtu, a->ext.name);
		return 1;
	}
	a->mtu4 = mtu - 50;
	a->mtu6 = mtu - 70;
	snprintf(a->dev4.name, sizeof(a->dev4.name), "flannel.%u", a->cfg.vni);
	snprintf(a->dev6.name, sizeof(a->dev6.name), "flannel-v6.%u", a->cfg.vni);

	/* Our VtepMAC from before, so that peers need not change anything. */
	while (a->sm->ops->list(a->sm, find_our_mac, &ms)) {
		log_warn("listing the leases: %s: retrying", a->sm->ops->error(a->sm));
		if (pause_or_stop(a, backoff_next(&a->etcd_backoff)))
			return 0;
	}
	backoff_reset(&a->etcd_backoff);
	if (devices_ensure(a))
		return 1;

	subnet_env_read(a->o->subnet_file, &prior, &have, &prior6, &have6);
	if (acquire(a, have ? &prior : NULL, have6 ? &prior6 : NULL))
		return 0;		/* stopped while retrying */
	if (devices_ensure(a) || write_files(a))
		return 1;
	if (iptables_setup(a))
		return 1;
	if (relist(a))
		a->watch_at = now_mono() + backoff_next(&a->etcd_backoff);
	status_write(a, "running");
	return 0;
}

int agent_run(const struct options *o)
{
	struct agent a = { .o = o, .mon_fd = -1, .sig_fd = -1 };
	int r = 1;

	a.dp.cfg = &a.cfg;
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		log_error("libcurl could not be initialised");
		return 1;
	}
	a.sig_fd = signals_open();
	if (a.sig_fd < 0 || rtnl_open()) {
		log_error("start-up: %s", a.sig_fd < 0 ? strerror(errno) : rtnl_error());
		goto out;
	}
	a.mon_fd = rtnl_monitor_open();
	if (a.mon_fd < 0) {
		log_error("%s", rtnl_error());
		goto out;
	}
	a.sm = sm_etcd_new(o);
	if (!a.sm) {
		log_error("out of memory");
		goto out;
	}
	log_info("ovl-agent %s starting: etcd %s, prefix %s", OVL_AGENT_VERSION,
		 a.sm->ops->where(a.sm), o->etcd_prefix);
	r = setup(&a);
	if (!r && !a.stopping)
		r = loop(&a);
	if (o->ip_masq && a.our_name[0]) {
		if (a.ours.has_v4)
			masq_teardown(AF_INET, true, false);
		if (a.ours.has_v6)
			masq_teardown(AF_INET6, true, false);
	}
	if (a.our_name[0])
		status_write(&a, r ? "failed" : "stopped");
out:
	if (a.sm)
		a.sm->ops->free(a.sm);
	peers_free(&a.peers);
	if (a.sig_fd >= 0)
		close(a.sig_fd);
	curl_global_cleanup();
	return r;
}
