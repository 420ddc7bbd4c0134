// SPDX-License-Identifier: GPL-2.0
/*
 * ovl: the forwarding database, MAC -> remote VTEP(s), with vxlan's
 * semantics so that `bridge fdb` drives it unchanged.  This file is the
 * store: entries, remotes, peers, learning, ageing and the default
 * destination list.  Requests reach it from fdb_netlink.c; it tells
 * listeners of every change through fdb_notify.c.
 *
 * Entries live in a resizable hash table (lookups stay O(1) at a million
 * entries, where vxlan up to 6.12 chains them into 256 buckets) and on a
 * list for dumps, flushes and ageing.  Readers (transmit, learning's fast
 * path, dumps) use RCU; every change takes fdb.lock with BH disabled,
 * because learning runs in softirq.
 */

#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/jiffies.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include "ovl.h"

static const struct rhashtable_params ovl_fdb_params = {
	.key_offset = offsetof(struct ovl_fdb_entry, mac),
	.key_len = ETH_ALEN,
	.head_offset = offsetof(struct ovl_fdb_entry, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params ovl_peer_params = {
	.key_offset = offsetof(struct ovl_peer, key),
	.key_len = sizeof_field(struct ovl_peer, key),
	.head_offset = offsetof(struct ovl_peer, node),
	.automatic_shrinking = true,
};

const u8 ovl_zero_mac[ETH_ALEN];

static bool ovl_fdb_is_static(const struct ovl_fdb_entry *f)
{
	return f->state & (NUD_PERMANENT | NUD_NOARP);
}

int ovl_fdb_init(struct ovl_dev *ovl)
{
	struct ovl_fdb *fdb = &ovl->fdb;
	int err;

	spin_lock_init(&fdb->lock);
	INIT_LIST_HEAD(&fdb->list);
	err = rhashtable_init(&fdb->entries, &ovl_fdb_params);
	if (err)
		return err;
	err = rhashtable_init(&fdb->peers, &ovl_peer_params);
	if (err)
		rhashtable_destroy(&fdb->entries);
	return err;
}

void ovl_fdb_destroy(struct ovl_dev *ovl)
{
	ovl_fdb_flush(ovl, true);
	rhashtable_destroy(&ovl->fdb.entries);
	rhashtable_destroy(&ovl->fdb.peers);
}

/* Datapath readers: the caller holds rcu_read_lock(). */
struct ovl_fdb_entry *ovl_fdb_lookup(struct ovl_dev *ovl, const u8 *mac)
{
	return rhashtable_lookup(&ovl->fdb.entries, mac, ovl_fdb_params);
}

/* Writers under fdb.lock: entries can not go away, but rhashtable's
 * lockdep annotations want an RCU read side for the bucket walk.
 */
static struct ovl_fdb_entry *ovl_fdb_find_locked(struct ovl_dev *ovl,
						 const u8 *mac)
{
	lockdep_assert_held(&ovl->fdb.lock);
	return rhashtable_lookup_fast(&ovl->fdb.entries, mac, ovl_fdb_params);
}

/* ---- peers: remote addresses with their route cache ---- */

static struct ovl_peer *ovl_peer_get(struct ovl_dev *ovl,
				     const struct ovl_addr *ip, int ifindex)
{
	struct ovl_fdb *fdb = &ovl->fdb;
	struct ovl_peer *peer;
	typeof(peer->key) key;

	lockdep_assert_held(&fdb->lock);
	/* The key is hashed as bytes: its padding must be zero. */
	memset(&key, 0, sizeof(key));
	key.ip.family = ip->family;
	if (ip->family == AF_INET6)
		key.ip.ip6 = ip->ip6;
	else
		key.ip.ip4 = ip->ip4;
	key.ifindex = ifindex;

	peer = rhashtable_lookup_fast(&fdb->peers, &key, ovl_peer_params);
	if (peer) {
		refcount_inc(&peer->refcnt);
		return peer;
	}

	peer = kzalloc_obj(*peer, GFP_ATOMIC);
	if (!peer)
		return NULL;
	peer->key = key;
	if (dst_cache_init(&peer->dst_cache, GFP_ATOMIC))
		goto err_free;
	refcount_set(&peer->refcnt, 1);
	if (rhashtable_insert_fast(&fdb->peers, &peer->node, ovl_peer_params))
		goto err_cache;
	return peer;

err_cache:
	dst_cache_destroy(&peer->dst_cache);
err_free:
	kfree(peer);
	return NULL;
}

static void ovl_peer_free_rcu(struct rcu_head *head)
{
	struct ovl_peer *peer = container_of(head, struct ovl_peer, rcu);

	dst_cache_destroy(&peer->dst_cache);
	kfree(peer);
}

static void ovl_peer_put(struct ovl_dev *ovl, struct ovl_peer *peer)
{
	lockdep_assert_held(&ovl->fdb.lock);
	if (!refcount_dec_and_test(&peer->refcnt))
		return;
	rhashtable_remove_fast(&ovl->fdb.peers, &peer->node, ovl_peer_params);
	call_rcu(&peer->rcu, ovl_peer_free_rcu);
}

/* ---- remotes ---- */

static struct ovl_remote *ovl_remote_alloc(struct ovl_dev *ovl,
					   const struct ovl_fdb_req *req)
{
	struct ovl_remote *r;
	struct ovl_peer *peer;

	r = kzalloc_obj(*r, GFP_ATOMIC);
	if (!r)
		return NULL;
	peer = ovl_peer_get(ovl, &req->ip, req->ifindex);
	if (!peer) {
		kfree(r);
		return NULL;
	}
	RCU_INIT_POINTER(r->peer, peer);
	r->port = req->port;
	r->vni_set = req->vni_set;
	r->vni = req->vni;
	return r;
}

static void ovl_remote_free(struct ovl_dev *ovl, struct ovl_remote *r)
{
	struct ovl_peer *peer;

	peer = rcu_dereference_protected(r->peer, lockdep_is_held(&ovl->fdb.lock));
	ovl_peer_put(ovl, peer);
	kfree_rcu(r, rcu);
}

/* Port and VNI compare by their effective values, as vxlan's do. */
static bool ovl_remote_matches(struct ovl_dev *ovl, const struct ovl_remote *r,
			       const struct ovl_fdb_req *req)
{
	const struct ovl_config *cfg = ovl_cfg(ovl);
	const struct ovl_peer *peer = ovl_remote_peer(ovl, r);
	u32 rvni = r->vni_set ? r->vni : cfg->vni;
	u32 qvni = req->vni_set ? req->vni : cfg->vni;

	return ovl_addr_equal(&peer->key.ip, &req->ip) &&
	       peer->key.ifindex == req->ifindex &&
	       (r->port ?: cfg->port) == (req->port ?: cfg->port) &&
	       rvni == qvni;
}

static struct ovl_remote *ovl_remote_find(struct ovl_dev *ovl,
					  struct ovl_fdb_entry *f,
					  const struct ovl_fdb_req *req)
{
	struct ovl_remote *r;

	list_for_each_entry(r, &f->remotes, list) {
		if (ovl_remote_matches(ovl, r, req))
			return r;
	}
	return NULL;
}

/* Add a remote to an entry unless it has it already (vxlan's append). */
static int ovl_fdb_append_remote(struct ovl_dev *ovl, struct ovl_fdb_entry *f,
				 const struct ovl_fdb_req *req)
{
	struct ovl_remote *r;

	if (ovl_remote_find(ovl, f, req))
		return 0;
	r = ovl_remote_alloc(ovl, req);
	if (!r)
		return -ENOMEM;
	list_add_tail_rcu(&r->list, &f->remotes);
	ovl_fdb_notify(ovl, f, r, RTM_NEWNEIGH);
	return 0;
}

/* ---- entries ---- */

static bool ovl_fdb_full_at(const struct ovl_dev *ovl, u32 limit)
{
	return limit && ovl->fdb.count >= limit;
}

static bool ovl_fdb_full(const struct ovl_dev *ovl)
{
	/* Learning (softirq, RCU) and bridge fdb (RTNL) */
	return ovl_fdb_full_at(ovl, rcu_dereference_rtnl(ovl->cfg)->limit);
}

static struct ovl_fdb_entry *ovl_fdb_create(struct ovl_dev *ovl, const u8 *mac,
					    u16 state, u8 flags,
					    const struct ovl_fdb_req *req)
{
	struct ovl_fdb *fdb = &ovl->fdb;
	struct ovl_fdb_entry *f;
	struct ovl_remote *r;

	lockdep_assert_held(&fdb->lock);
	f = kzalloc_obj(*f, GFP_ATOMIC);
	if (!f)
		return ERR_PTR(-ENOMEM);
	r = ovl_remote_alloc(ovl, req);
	if (!r) {
		kfree(f);
		return ERR_PTR(-ENOMEM);
	}

	ether_addr_copy(f->mac, mac);
	f->state = state;
	f->flags = flags;
	f->updated = jiffies;
	f->used = f->updated;
	INIT_LIST_HEAD(&f->remotes);
	list_add_tail(&r->list, &f->remotes);

	if (rhashtable_insert_fast(&fdb->entries, &f->node, ovl_fdb_params)) {
		ovl_remote_free(ovl, r);
		kfree(f);
		return ERR_PTR(-ENOMEM);
	}
	list_add_tail_rcu(&f->all, &fdb->list);
	fdb->count++;
	if (!ovl_fdb_is_static(f))
		fdb->learned++;
	ovl_fdb_notify(ovl, f, r, RTM_NEWNEIGH);
	return f;
}

static void ovl_fdb_set_state(struct ovl_dev *ovl, struct ovl_fdb_entry *f,
			      u16 state)
{
	bool was_static = ovl_fdb_is_static(f);

	f->state = state;
	if (was_static && !ovl_fdb_is_static(f))
		ovl->fdb.learned++;
	else if (!was_static && ovl_fdb_is_static(f))
		ovl->fdb.learned--;
}

static void ovl_fdb_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct ovl_fdb_entry, rcu));
}

static void ovl_fdb_entry_destroy(struct ovl_dev *ovl, struct ovl_fdb_entry *f,
				  bool notify)
{
	struct ovl_fdb *fdb = &ovl->fdb;
	struct ovl_remote *r, *next;

	lockdep_assert_held(&fdb->lock);
	rhashtable_remove_fast(&fdb->entries, &f->node, ovl_fdb_params);
	list_del_rcu(&f->all);
	fdb->count--;
	if (!ovl_fdb_is_static(f))
		fdb->learned--;

	list_for_each_entry_safe(r, next, &f->remotes, list) {
		if (notify)
			ovl_fdb_notify(ovl, f, r, RTM_DELNEIGH);
		list_del_rcu(&r->list);
		ovl_remote_free(ovl, r);
	}
	call_rcu(&f->rcu, ovl_fdb_free_rcu);
}

/* Drop one remote; the entry goes with its last one. */
static void ovl_fdb_remote_destroy(struct ovl_dev *ovl, struct ovl_fdb_entry *f,
				   struct ovl_remote *r)
{
	if (list_is_singular(&f->remotes)) {
		ovl_fdb_entry_destroy(ovl, f, true);
		return;
	}
	ovl_fdb_notify(ovl, f, r, RTM_DELNEIGH);
	list_del_rcu(&r->list);
	ovl_remote_free(ovl, r);
}

/* Remove learned entries, or (all) every entry. */
void ovl_fdb_flush(struct ovl_dev *ovl, bool all)
{
	struct ovl_fdb_entry *f, *next;

	spin_lock_bh(&ovl->fdb.lock);
	list_for_each_entry_safe(f, next, &ovl->fdb.list, all) {
		if (all || !ovl_fdb_is_static(f))
			ovl_fdb_entry_destroy(ovl, f, !all);
	}
	spin_unlock_bh(&ovl->fdb.lock);
}

/* ---- learning ---- */

bool ovl_fdb_learn(struct ovl_dev *ovl, const u8 *mac,
		   const struct ovl_addr *src)
{
	struct ovl_fdb *fdb = &ovl->fdb;
	struct ovl_fdb_req req = { .ip = *src };
	struct ovl_fdb_entry *f;
	struct ovl_remote *r;
	struct ovl_peer *peer, *old;
	unsigned long now = jiffies;
	bool drop = false;

	/* Fast path, no lock: the MAC is known at this remote already. */
	f = ovl_fdb_lookup(ovl, mac);
	if (likely(f)) {
		r = list_first_or_null_rcu(&f->remotes, struct ovl_remote, list);
		if (r && ovl_addr_equal(&rcu_dereference(r->peer)->key.ip, src)) {
			if (READ_ONCE(f->updated) != now)
				WRITE_ONCE(f->updated, now);
			return false;
		}
		/* Static entries win over learning: vxlan drops the frame too. */
		if (ovl_fdb_is_static(f))
			return true;
	}

	spin_lock(&fdb->lock);
	f = ovl_fdb_find_locked(ovl, mac);
	if (f) {
		if (ovl_fdb_is_static(f)) {
			drop = true;
			goto out;
		}
		r = list_first_entry_or_null(&f->remotes, struct ovl_remote, list);
		if (!r)
			goto out;
		old = ovl_remote_peer(ovl, r);
		if (ovl_addr_equal(&old->key.ip, src))
			goto out;
		/* The station moved to another VTEP. */
		peer = ovl_peer_get(ovl, src, 0);
		if (!peer) {
			ovl_xstats_inc(ovl->xstats, OVL_XSTATS_FDB_LEARN_NOMEM);
			goto out;
		}
		rcu_assign_pointer(r->peer, peer);
		ovl_peer_put(ovl, old);
		WRITE_ONCE(f->updated, now);
		ovl_xstats_inc(ovl->xstats, OVL_XSTATS_FDB_MOVED);
		ovl_fdb_notify(ovl, f, r, RTM_NEWNEIGH);
		goto out;
	}

	if (ovl_fdb_full(ovl)) {
		ovl_xstats_inc(ovl->xstats, OVL_XSTATS_FDB_LEARN_FULL);
		goto out;
	}
	/* A failure leaves the station unlearned: its frames are flooded
	 * until one of them is learned; only -ENOMEM fails here.
	 */
	if (IS_ERR(ovl_fdb_create(ovl, mac, NUD_REACHABLE, NTF_SELF, &req)))
		ovl_xstats_inc(ovl->xstats, OVL_XSTATS_FDB_LEARN_NOMEM);
	else
		ovl_xstats_inc(ovl->xstats, OVL_XSTATS_FDB_LEARNED);
out:
	spin_unlock(&fdb->lock);
	return drop;
}

/* ---- ageing ---- */

void ovl_fdb_age_work(struct work_struct *work)
{
	struct ovl_dev *ovl = container_of(to_delayed_work(work),
					   struct ovl_dev, age_work);
	unsigned long now = jiffies;
	unsigned long next = now + OVL_AGE_INTERVAL;
	struct ovl_fdb_entry *f, *n;
	unsigned long ageing;

	rcu_read_lock();
	ageing = rcu_dereference(ovl->cfg)->ageing * HZ;
	rcu_read_unlock();

	/* Static entries never age: with none dynamic, skip the walk. */
	if (ageing && READ_ONCE(ovl->fdb.learned)) {
		spin_lock_bh(&ovl->fdb.lock);
		list_for_each_entry_safe(f, n, &ovl->fdb.list, all) {
			unsigned long timeout;

			if (ovl_fdb_is_static(f))
				continue;
			timeout = READ_ONCE(f->updated) + ageing;
			if (time_before_eq(timeout, now)) {
				ovl_fdb_entry_destroy(ovl, f, true);
				ovl_xstats_inc(ovl->xstats, OVL_XSTATS_FDB_AGED);
			} else if (time_before(timeout, next)) {
				next = timeout;
			}
		}
		spin_unlock_bh(&ovl->fdb.lock);
	}
	/* Stopped devices cancel this work synchronously before closing. */
	if (netif_running(ovl->dev))
		mod_delayed_work(system_power_efficient_wq, &ovl->age_work,
				 next - now);
}

/* ---- the default destination list, set by IFLA_OVL_GROUP{,6} ---- */

/* @limit: the FDB limit of the configuration being applied, which may
 * come in the same request as @new: "remote X maxaddress 0" on a full FDB
 * is taken, "remote X maxaddress N" is checked against N.  (vxlan cannot
 * change its limit after creation.)
 */
int ovl_fdb_set_default(struct ovl_dev *ovl, const struct ovl_addr *old,
			const struct ovl_addr *new, u32 limit,
			struct netlink_ext_ack *extack)
{
	struct ovl_fdb_req req = {};
	struct ovl_fdb_entry *f;
	struct ovl_remote *r;
	int err = 0;

	if (old && new && ovl_addr_equal(old, new))
		return 0;

	spin_lock_bh(&ovl->fdb.lock);
	f = ovl_fdb_find_locked(ovl, ovl_zero_mac);

	/* Add the new remote before removing the old: a failure changes nothing. */
	if (new && ovl_addr_is_set(new)) {
		req.ip = *new;
		if (f) {
			err = ovl_fdb_append_remote(ovl, f, &req);
			if (err)
				goto out;
		} else {
			if (ovl_fdb_full_at(ovl, limit)) {
				NL_SET_ERR_MSG(extack,
					       "FDB is full: no room for the default remote");
				err = -ENOSPC;
				goto out;
			}
			f = ovl_fdb_create(ovl, ovl_zero_mac, NUD_PERMANENT | NUD_NOARP,
					   NTF_SELF, &req);
			if (IS_ERR(f)) {
				err = PTR_ERR(f);
				goto out;
			}
		}
	}

	if (old && ovl_addr_is_set(old) && f) {
		req.ip = *old;
		r = ovl_remote_find(ovl, f, &req);
		if (r)
			ovl_fdb_remote_destroy(ovl, f, r);
	}
out:
	spin_unlock_bh(&ovl->fdb.lock);
	return err;
}

/* ---- requests, parsed by fdb_netlink.c ---- */

/* bridge fdb add|append|replace: vxlan's semantics of @flags (NLM_F_*). */
int ovl_fdb_update(struct ovl_dev *ovl, const u8 *addr, u16 state, u16 flags,
		   const struct ovl_fdb_req *req, struct netlink_ext_ack *extack)
{
	struct ovl_fdb_entry *f;
	struct ovl_remote *r;
	bool non_unicast;
	int err = 0;

	non_unicast = is_multicast_ether_addr(addr) || is_zero_ether_addr(addr);

	spin_lock_bh(&ovl->fdb.lock);
	f = ovl_fdb_find_locked(ovl, addr);
	if (!f) {
		if (!(flags & NLM_F_CREATE)) {
			NL_SET_ERR_MSG(extack, "No such FDB entry (and NLM_F_CREATE not set)");
			err = -ENOENT;
		} else if ((flags & NLM_F_REPLACE) && non_unicast) {
			NL_SET_ERR_MSG(extack,
				       "Only append can create a default or multicast entry");
			err = -EOPNOTSUPP;
		} else if (ovl_fdb_full(ovl)) {
			NL_SET_ERR_MSG(extack, "FDB is full (maxaddress)");
			err = -ENOSPC;
		} else {
			f = ovl_fdb_create(ovl, addr, state,
					   NTF_SELF | (req->router ? NTF_ROUTER : 0),
					   req);
			err = PTR_ERR_OR_ZERO(f);
		}
		goto out;
	}

	if (flags & NLM_F_EXCL) {
		NL_SET_ERR_MSG(extack, "FDB entry already exists");
		err = -EEXIST;
		goto out;
	}

	if ((flags & NLM_F_REPLACE) && non_unicast) {
		NL_SET_ERR_MSG(extack,
			       "Cannot replace a default or multicast entry: use append and del");
		err = -EOPNOTSUPP;
		goto out;
	}

	if (f->state != state || !(f->flags & NTF_ROUTER) != !req->router) {
		ovl_fdb_set_state(ovl, f, state);
		WRITE_ONCE(f->flags, (f->flags & ~NTF_ROUTER) |
				     (req->router ? NTF_ROUTER : 0));
		WRITE_ONCE(f->updated, jiffies);
		r = list_first_entry(&f->remotes, struct ovl_remote, list);
		ovl_fdb_notify(ovl, f, r, RTM_NEWNEIGH);
	}

	if (flags & NLM_F_REPLACE) {
		/* A unicast entry has one remote: swap it for the new one. */
		struct ovl_remote *old = list_first_entry(&f->remotes,
							  struct ovl_remote, list);

		if (ovl_remote_matches(ovl, old, req))
			goto out;
		r = ovl_remote_alloc(ovl, req);
		if (!r) {
			err = -ENOMEM;
			goto out;
		}
		list_replace_rcu(&old->list, &r->list);
		ovl_remote_free(ovl, old);
		WRITE_ONCE(f->updated, jiffies);
		ovl_fdb_notify(ovl, f, r, RTM_NEWNEIGH);
	} else if ((flags & NLM_F_APPEND) && non_unicast) {
		err = ovl_fdb_append_remote(ovl, f, req);
	}
out:
	spin_unlock_bh(&ovl->fdb.lock);
	return err;
}

/* bridge fdb del: the remote @req names, or the whole entry if it names none. */
int ovl_fdb_remove(struct ovl_dev *ovl, const u8 *addr,
		   const struct ovl_fdb_req *req, struct netlink_ext_ack *extack)
{
	struct ovl_fdb_entry *f;
	struct ovl_remote *r;
	int err = 0;

	spin_lock_bh(&ovl->fdb.lock);
	f = ovl_fdb_find_locked(ovl, addr);
	if (!f) {
		NL_SET_ERR_MSG(extack, "No such FDB entry");
		err = -ENOENT;
		goto out;
	}
	if (!req->has_ip) {
		ovl_fdb_entry_destroy(ovl, f, true);
		goto out;
	}
	r = ovl_remote_find(ovl, f, req);
	if (!r) {
		NL_SET_ERR_MSG(extack, "The FDB entry has no such remote");
		err = -ENOENT;
		goto out;
	}
	ovl_fdb_remote_destroy(ovl, f, r);
out:
	spin_unlock_bh(&ovl->fdb.lock);
	return err;
}
