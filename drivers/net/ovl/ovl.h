/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ovl: private definitions shared by the module's files.
 *
 * Object model:
 *   ovl_net   per network namespace: the list of ovl devices and of the
 *             UDP sockets they receive on.
 *   ovl_sock  one UDP tunnel socket per (netns, family, port), shared by
 *             every open ovl device there; demultiplexes by VNI.
 *   ovl_dev   the device (netdev_priv): configuration, FDB, statistics.
 *   ovl_fdb   MAC -> list of remotes, in a resizable hash table.
 *   ovl_peer  a remote VTEP address with its route cache, shared by every
 *             FDB remote that points at it: thousands of MACs behind one
 *             host cost one dst_cache, not thousands.
 */
#ifndef _OVL_H
#define _OVL_H

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rhashtable.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/dst_cache.h>
#include <net/gro_cells.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <uapi/linux/ovl.h>

#include "compat.h"

#define OVL_VNI_HASH_BITS	10
#define OVL_VNI_HASH_SIZE	BIT(OVL_VNI_HASH_BITS)
#define OVL_AGE_INTERVAL	(10 * HZ)	/* longest gap between ageing runs */
#define OVL_UDP_VXLAN_LEN	(sizeof(struct udphdr) + OVL_HDR_LEN)

/* An IPv4 or IPv6 address; family 0 means "none". */
struct ovl_addr {
	sa_family_t family;
	union {
		__be32 ip4;
		struct in6_addr ip6;
	};
};

struct ovlhdr {
	__be32 flags;	/* only OVL_HDR_FLAG_VNI in the top byte is defined */
	__be32 vni;	/* VNI in the top 24 bits, low byte reserved */
};

/* A device's configuration, an immutable object: changelink builds a new
 * one and publishes it with rcu_assign_pointer(), never writing one a
 * reader may hold, and frees the old one with kfree_rcu().  The data path
 * reads the pointer once per packet under RCU, the control path under
 * RTNL, so no reader sees half of a change.
 */
struct ovl_config {
	u32 vni;
	bool vni_set;			/* a device without a VNI stays down */
	struct ovl_addr remote;		/* default remote (IFLA_OVL_GROUP*) */
	struct ovl_addr local;
	int link;			/* underlay ifindex, 0 = any */
	__be16 port;
	u16 port_min, port_max;		/* source ports, 0/0 = local range */
	u8 ttl;				/* 0 = route's hop limit */
	bool ttl_inherit;
	u8 tos;				/* or OVL_TOS_INHERIT */
	u8 df;				/* enum ifla_ovl_df */
	bool learning;
	u32 ageing;			/* seconds, 0 = learned entries stay */
	u32 limit;			/* FDB entries, 0 = unlimited */
	bool udp_csum;			/* IPv4 */
	bool zero_csum6_tx;
	bool zero_csum6_rx;
	bool localbypass;
	bool proxy;			/* answer ARP and ND (proxy.c) */
	bool l2miss;			/* RTM_GETNEIGH for unknown MACs */
	bool l3miss;			/* and for unknown proxy targets */
	bool rsc;			/* route short-circuit (proxy.c) */
	__be32 label;			/* IPv6 flow label */
	bool gbp;			/* Group Based Policy <-> mark (gbp.h) */
	struct rcu_head rcu;
};

struct ovl_peer {
	struct rhash_head node;
	struct {
		struct ovl_addr ip;
		int ifindex;
	} key;
	refcount_t refcnt;		/* FDB remotes using it; under fdb.lock */
	struct dst_cache dst_cache;
	struct rcu_head rcu;
};

struct ovl_remote {
	struct list_head list;		/* in ovl_fdb_entry.remotes, RCU */
	struct ovl_peer __rcu *peer;
	__be16 port;			/* 0 = the device's port */
	bool vni_set;			/* false = the device's VNI */
	u32 vni;
	struct rcu_head rcu;
};

struct ovl_fdb_entry {
	struct rhash_head node;		/* in ovl_fdb.entries, keyed by mac */
	struct list_head all;		/* in ovl_fdb.list, for walks */
	struct list_head remotes;	/* at least one, RCU */
	unsigned long updated;		/* jiffies, ageing */
	unsigned long used;		/* jiffies, last transmit */
	u16 state;			/* NUD_* */
	u8 flags;			/* NTF_*; fdb.lock, READ_ONCE() */
	u8 mac[ETH_ALEN];
	struct rcu_head rcu;
};

/* A remote as a request names it (bridge fdb, the default remote, a
 * learned source): what ovl_remote_alloc() makes an ovl_remote of.
 */
struct ovl_fdb_req {
	struct ovl_addr ip;
	bool has_ip;			/* false: a delete of the whole entry */
	__be16 port;			/* 0 = the device's port */
	bool vni_set;			/* false = the device's VNI */
	u32 vni;
	int ifindex;			/* 0 = the device's underlay, if any */
	bool router;			/* NTF_ROUTER: rsc rewrites to it */
};

struct ovl_fdb {
	spinlock_t lock;		/* every change; BH: learning in softirq */
	struct rhashtable entries;	/* readers under RCU, no lock */
	struct rhashtable peers;	/* under lock only */
	struct list_head list;		/* every entry, under lock */
	u32 count;
	u32 learned;
};

struct ovl_xstats {
	u64_stats_t cnt[__OVL_XSTATS_MAX];
	struct u64_stats_sync syncp;
};

/* What a UDP socket is opened with: open devices whose configurations
 * give equal keys share one socket.
 */
struct ovl_sock_key {
	sa_family_t family;
	__be16 port;
	bool zero_csum6_rx;		/* false on IPv4, where it means nothing */
};

/* Where an open device receives: its socket and its slot in the socket's
 * VNI hash, derived from the configuration by ovl_rx_key_init().  Only a
 * change of configuration that changes this key moves the device to
 * another socket or slot; every other parameter is read per packet.
 * Compared as bytes, so built on zeroed memory.
 */
struct ovl_rx_key {
	struct ovl_sock_key sock;
	u32 vni;
};

/* A move of a device to another socket: see ovl_sock_prepare(). */
struct ovl_sock_move {
	struct ovl_sock *vs;		/* the socket to move to, referenced */
	struct ovl_rx_key key;
};

struct ovl_sock {
	struct list_head list;		/* in ovl_net.socks, under RTNL */
	struct socket *sock;
	struct hlist_head vni_hash[OVL_VNI_HASH_SIZE];	/* RCU */
	refcount_t refcnt;		/* open devices, under RTNL */
	/* Under RTNL: set at creation; zero_csum6_rx changes when the
	 * socket's only device moves (ovl_sock_commit()).
	 */
	struct ovl_sock_key key;
	struct ovl_xstats __percpu *xstats;	/* OVL_XSTATS_SOCK_* only */
};

struct ovl_dev {
	struct list_head list;		/* in ovl_net.devs, under RTNL */
	struct hlist_node vni_node;	/* in ovl_sock.vni_hash while open */
	/* The key vni_node is hashed under: written under RTNL only while
	 * the device is on no socket, read by the receive path under RCU.
	 */
	struct ovl_rx_key rx_key;
	struct net_device *dev;
	/* The netns the device was created in (its link netns): the
	 * socket, the underlay routes and devices, and ovl_net.devs are
	 * there, wherever the device itself is moved.  Set once.
	 */
	struct net *net;
	struct ovl_sock __rcu *sock4;	/* one of the two while open; */
	struct ovl_sock __rcu *sock6;	/* RTNL writes, RCU reads */
	struct ovl_config __rcu *cfg;	/* RTNL replaces it, RCU reads */
	struct ovl_fdb fdb;
	struct gro_cells gro_cells;
	struct ovl_xstats __percpu *xstats;
	struct delayed_work age_work;
};

struct ovl_net {
	struct list_head devs;
	struct list_head socks;
};

extern unsigned int ovl_net_id;
extern struct rtnl_link_ops ovl_link_ops;

static inline u32 ovl_hdr_vni(const struct ovlhdr *h)
{
	return be32_to_cpu(h->vni) >> 8;
}

static inline bool ovl_addr_equal(const struct ovl_addr *a,
				  const struct ovl_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET6)
		return ipv6_addr_equal(&a->ip6, &b->ip6);
	return a->ip4 == b->ip4;
}

static inline bool ovl_addr_is_set(const struct ovl_addr *a)
{
	return a->family != 0;
}

static inline bool ovl_addr_is_multicast(const struct ovl_addr *a)
{
	if (a->family == AF_INET6)
		return ipv6_addr_is_multicast(&a->ip6);
	return a->family == AF_INET && ipv4_is_multicast(a->ip4);
}

/* The address of an attribute of 4 or 16 bytes (NDA_DST, IFLA_OVL_*). */
static inline int ovl_nla_get_addr(struct ovl_addr *a,
				   const struct nlattr *nla)
{
	memset(a, 0, sizeof(*a));
	if (nla_len(nla) == sizeof(__be32)) {
		a->family = AF_INET;
		a->ip4 = nla_get_in_addr(nla);
		return 0;
	}
	if (IS_ENABLED(CONFIG_IPV6) && nla_len(nla) == sizeof(struct in6_addr)) {
		a->family = AF_INET6;
		a->ip6 = nla_get_in6_addr(nla);
		return 0;
	}
	return -EAFNOSUPPORT;
}

static inline int ovl_nla_put_addr(struct sk_buff *skb, int attr,
				   const struct ovl_addr *a)
{
	if (a->family == AF_INET6)
		return nla_put_in6_addr(skb, attr, &a->ip6);
	return nla_put_in_addr(skb, attr, a->ip4);
}

/* The configuration, for the control path, under RTNL. */
/* Does a frame cross netns between the device and its socket?  Then it
 * is scrubbed of what belongs to one netns (mark, socket, conntrack),
 * as vxlan does for a device moved out of its link netns.
 */
static inline bool ovl_xnet(const struct ovl_dev *ovl)
{
	return !net_eq(ovl->net, dev_net(ovl->dev));
}

static inline const struct ovl_config *ovl_cfg(const struct ovl_dev *ovl)
{
	return rtnl_dereference(ovl->cfg);
}

/* The underlay family: IPv6 when the local or default remote is IPv6. */
static inline sa_family_t ovl_cfg_family(const struct ovl_config *cfg)
{
	if (cfg->local.family == AF_INET6 || cfg->remote.family == AF_INET6)
		return AF_INET6;
	return AF_INET;
}

static inline void ovl_xstats_inc(struct ovl_xstats __percpu *xs, int idx)
{
	struct ovl_xstats *s = this_cpu_ptr(xs);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&s->syncp);
	u64_stats_inc(&s->cnt[idx]);
	u64_stats_update_end_irqrestore(&s->syncp, flags);
}

/* A remote's peer: the caller holds rcu_read_lock() or fdb.lock. */
static inline struct ovl_peer *ovl_remote_peer(struct ovl_dev *ovl,
					       const struct ovl_remote *r)
{
	return rcu_dereference_check(r->peer, lockdep_is_held(&ovl->fdb.lock));
}

void ovl_xstats_sum(struct ovl_xstats __percpu *xs, u64 *sum);

/* device.c */
void ovl_setup(struct net_device *dev);

/* netlink.c */
void ovl_config_free(struct ovl_dev *ovl);

/* socket.c */
int ovl_sock_prepare(struct ovl_dev *ovl, const struct ovl_config *cfg,
		     struct ovl_sock_move *move, struct netlink_ext_ack *extack);
void ovl_sock_commit(struct ovl_dev *ovl, struct ovl_sock_move *move);
void ovl_sock_abort(struct ovl_sock_move *move);
int ovl_sock_attach(struct ovl_dev *ovl, const struct ovl_config *cfg);
bool ovl_sock_moves(const struct ovl_dev *ovl, const struct ovl_config *cfg);
void ovl_sock_detach(struct ovl_dev *ovl);
struct ovl_sock *ovl_sock_of(const struct ovl_dev *ovl);
struct ovl_dev *ovl_sock_find_vni(struct ovl_sock *vs, u32 vni);
struct ovl_sock *ovl_sock_local(struct net *net, const struct ovl_addr *dst,
				__be16 port);
bool ovl_vni_in_use(struct ovl_net *on, struct ovl_dev *self, u32 vni,
		    __be16 port, sa_family_t family);

/* multicast.c */
int ovl_mc_start(struct ovl_dev *ovl, struct ovl_sock *vs,
		 const struct ovl_config *cfg, struct netlink_ext_ack *extack);
void ovl_mc_stop(struct ovl_dev *ovl, struct ovl_sock *vs,
		 const struct ovl_config *cfg);

/* proxy.c */
bool ovl_proxy_xmit(struct ovl_dev *ovl, const struct ovl_config *cfg,
		    struct sk_buff *skb);
bool ovl_route_shortcircuit(struct ovl_dev *ovl, const struct ovl_config *cfg,
			    struct sk_buff *skb);

/* send.c */
netdev_tx_t ovl_xmit(struct sk_buff *skb, struct net_device *dev);

/* receive.c */
int ovl_udp_encap_recv(struct sock *sk, struct sk_buff *skb);
int ovl_udp_err_lookup(struct sock *sk, struct sk_buff *skb);
struct sk_buff *ovl_gro_receive(struct sock *sk, struct list_head *head,
				struct sk_buff *skb);
int ovl_gro_complete(struct sock *sk, struct sk_buff *skb, int nhoff);

/* fdb.c: the store */
/* The all-zeros MAC keys the default destination list, as in vxlan. */
extern const u8 ovl_zero_mac[ETH_ALEN];
int ovl_fdb_init(struct ovl_dev *ovl);
void ovl_fdb_destroy(struct ovl_dev *ovl);
struct ovl_fdb_entry *ovl_fdb_lookup(struct ovl_dev *ovl, const u8 *mac);
/* Returns true when the frame must be dropped (a static entry disagrees). */
bool ovl_fdb_learn(struct ovl_dev *ovl, const u8 *mac,
		   const struct ovl_addr *src);
void ovl_fdb_flush(struct ovl_dev *ovl, bool all);
int ovl_fdb_set_default(struct ovl_dev *ovl, const struct ovl_addr *old,
			const struct ovl_addr *new, u32 limit,
			struct netlink_ext_ack *extack);
void ovl_fdb_age_work(struct work_struct *work);
int ovl_fdb_update(struct ovl_dev *ovl, const u8 *addr, u16 state, u16 flags,
		   const struct ovl_fdb_req *req, struct netlink_ext_ack *extack);
int ovl_fdb_remove(struct ovl_dev *ovl, const u8 *addr,
		   const struct ovl_fdb_req *req, struct netlink_ext_ack *extack);

/* fdb_notify.c: neighbour messages of the store's entries */
int ovl_fdb_fill(struct sk_buff *skb, struct ovl_dev *ovl,
		 const struct ovl_fdb_entry *f, const struct ovl_remote *r,
		 u32 portid, u32 seq, int type, unsigned int flags);
void ovl_fdb_notify(struct ovl_dev *ovl, const struct ovl_fdb_entry *f,
		    const struct ovl_remote *r, int type);
void ovl_fdb_notify_miss(struct ovl_dev *ovl, const u8 *mac,
			 const struct ovl_addr *ip);

/* fdb_netlink.c: bridge fdb requests and dumps */
int ovl_fdb_add(struct ndmsg *ndm, struct nlattr *tb[], struct net_device *dev,
		const unsigned char *addr, u16 vid, u16 flags,
		struct netlink_ext_ack *extack);
int ovl_fdb_del(struct ndmsg *ndm, struct nlattr *tb[], struct net_device *dev,
		const unsigned char *addr, u16 vid,
		struct netlink_ext_ack *extack);
int ovl_fdb_dump(struct sk_buff *skb, struct netlink_callback *cb,
		 struct net_device *dev, struct net_device *filter_dev,
		 int *idx);

#endif /* _OVL_H */
