/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-API differences between the kernels ovl builds for, in one place,
 * so that the rest of the module reads like code for the newest kernel.
 * The OVL_HAVE_* switches come from compat-probe.sh (compat-generated.h),
 * which greps the headers: never a version number.  The versions named
 * below are those of the kernels the suite runs on (5.10, 6.1, 6.12, 7.2).
 *
 * Three kinds of shims, each used only where the kernel lacks the API:
 *  - a function the newest kernel has and an older one lacks is defined
 *    here under its own name (dev_get_tstats64() for 5.10);
 *  - a kernel function whose arguments changed is called in its newest
 *    form, and a macro of the same name turns that into the older call;
 *  - a callback ovl implements whose signature changed is written in its
 *    newest form; OVL_*_COMPAT(fn) after it defines fn_compat with the
 *    older signature, and the ops name it through OVL_*_OP(fn).
 * A header an older kernel lacks has a stand-in in compat/include/,
 * which Kbuild searches after the kernel's own include directories.
 */
#ifndef _OVL_COMPAT_H
#define _OVL_COMPAT_H

#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/flow.h>
#include <net/route.h>
#include <net/rtnetlink.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

static inline void ovl_compat_set_lltx(struct net_device *dev)
{
#ifdef OVL_HAVE_DEV_LLTX
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/* Per-cpu tstats: allocated by the core where it can, else by us. */
static inline int ovl_compat_alloc_tstats(struct net_device *dev)
{
#ifdef OVL_HAVE_PCPU_STAT_TYPE
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;
	return 0;
#else
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	return dev->tstats ? 0 : -ENOMEM;
#endif
}

static inline void ovl_compat_free_tstats(struct net_device *dev)
{
#ifndef OVL_HAVE_PCPU_STAT_TYPE
	free_percpu(dev->tstats);
#endif
}

#ifndef OVL_HAVE_DEV_GET_TSTATS64
/* 5.10: the ndo_get_stats64 of a device with tstats. */
static inline void dev_get_tstats64(struct net_device *dev,
				    struct rtnl_link_stats64 *s)
{
	netdev_stats_to_stats64(s, &dev->stats);
	dev_fetch_sw_netstats(s, dev->tstats);
}
#endif

#ifndef OVL_HAVE_DEV_CORE_STATS
/* 5.10: the core's drop counters are plain atomics. */
static inline void dev_core_stats_rx_dropped_inc(struct net_device *dev)
{
	atomic_long_inc(&dev->rx_dropped);
}

static inline void dev_core_stats_tx_dropped_inc(struct net_device *dev)
{
	atomic_long_inc(&dev->tx_dropped);
}
#endif

#ifndef OVL_HAVE_NETIF_INHERIT_TSO_MAX
/* 5.10: the limits a device inherits from its lower one are GSO's. */
static inline void netif_inherit_tso_max(struct net_device *to,
					 const struct net_device *from)
{
	netif_set_gso_max_size(to, from->gso_max_size);
	to->gso_max_segs = from->gso_max_segs;
}
#endif

#ifndef OVL_HAVE_SKB_GRO_HEADER
/* 5.10: the GRO header helpers, as one. */
static inline void *skb_gro_header(struct sk_buff *skb, unsigned int hlen,
				   unsigned int offset)
{
	void *ptr = skb_gro_header_fast(skb, offset);

	if (skb_gro_header_hard(skb, hlen))
		ptr = skb_gro_header_slow(skb, hlen, offset);
	return ptr;
}
#endif

#ifndef OVL_HAVE_UDP_TEST_BIT
/* 5.10: the UDP socket flags are bitfields of struct udp_sock. */
#define udp_test_bit(nr, sk)	ovl_compat_udp_test_##nr(sk)
static inline bool ovl_compat_udp_test_GRO_ENABLED(const struct sock *sk)
{
	return udp_sk(sk)->gro_enabled;
}
#endif

#ifndef OVL_HAVE_KZALLOC_OBJ
/* Up to 6.12 there are no typed allocators. */
#define kzalloc_obj(obj, gfp)	kzalloc(sizeof(obj), gfp)
#endif

/* The route key's TOS: a DSCP in 7.2, the RT_TOS() bits up to 6.12. */
static inline void ovl_compat_flowi4_set_tos(struct flowi4 *fl4, u8 tos)
{
#ifdef OVL_HAVE_FLOWI4_DSCP
	fl4->flowi4_dscp = inet_dsfield_to_dscp(tos);
#else
	fl4->flowi4_tos = RT_TOS(tos);
#endif
}

/* Up to 6.12 the tunnel transmit helpers take no control block flags
 * (ovl passes none); 6.1's takes its IPv6 addresses non-const.
 */
#ifndef OVL_HAVE_UDP_TUNNEL_XMIT_IPCB
static inline void
ovl_compat_udp_tunnel_xmit_skb(struct rtable *rt, struct sock *sk,
			       struct sk_buff *skb, __be32 src, __be32 dst,
			       __u8 tos, __u8 ttl, __be16 df, __be16 src_port,
			       __be16 dst_port, bool xnet, bool nocheck,
			       u16 ipcb_flags)
{
	udp_tunnel_xmit_skb(rt, sk, skb, src, dst, tos, ttl, df, src_port,
			    dst_port, xnet, nocheck);
}

#define udp_tunnel_xmit_skb	ovl_compat_udp_tunnel_xmit_skb
#endif
#if IS_ENABLED(CONFIG_IPV6) && !defined(OVL_HAVE_UDP_TUNNEL6_XMIT_IPCB)
static inline void
ovl_compat_udp_tunnel6_xmit_skb(struct dst_entry *dst, struct sock *sk,
				struct sk_buff *skb, struct net_device *dev,
				struct in6_addr *saddr,
				struct in6_addr *daddr, __u8 prio,
				__u8 ttl, __be32 label, __be16 src_port,
				__be16 dst_port, bool nocheck, u16 ip6cb_flags)
{
	udp_tunnel6_xmit_skb(dst, sk, skb, dev, saddr, daddr, prio, ttl, label,
			     src_port, dst_port, nocheck);
}

#define udp_tunnel6_xmit_skb	ovl_compat_udp_tunnel6_xmit_skb
#endif

#ifdef OVL_HAVE_UDP_LOOKUP_TABLE
/* Up to 6.12 the socket lookups take the table to search: since 6.2 each
 * netns may have its own.
 */
static inline struct udp_table *ovl_compat_udp_table(struct net *net)
{
#ifdef OVL_HAVE_NETNS_UDP_TABLE
	return net->ipv4.udp_table;
#else
	return &udp_table;
#endif
}

static inline struct sock *
ovl_compat_udp4_lib_lookup(struct net *net, __be32 saddr, __be16 sport,
			   __be32 daddr, __be16 dport, int dif, int sdif,
			   struct sk_buff *skb)
{
	return __udp4_lib_lookup(net, saddr, sport, daddr, dport, dif, sdif,
				 ovl_compat_udp_table(net), skb);
}

#define __udp4_lib_lookup	ovl_compat_udp4_lib_lookup

#if IS_ENABLED(CONFIG_IPV6)
static inline struct sock *
ovl_compat_udp6_lib_lookup(struct net *net, const struct in6_addr *saddr,
			   __be16 sport, const struct in6_addr *daddr,
			   __be16 dport, int dif, int sdif, struct sk_buff *skb)
{
	return __udp6_lib_lookup(net, saddr, sport, daddr, dport, dif, sdif,
				 ovl_compat_udp_table(net), skb);
}

#define __udp6_lib_lookup	ovl_compat_udp6_lib_lookup
#endif
#endif

/* Up to 6.12 the UDP tunnel socket helpers take the struct socket. */
#ifndef OVL_HAVE_SETUP_UDP_TUNNEL_SOCK_SK
#define setup_udp_tunnel_sock(net, sk, cfg) \
	setup_udp_tunnel_sock(net, (sk)->sk_socket, cfg)
#endif
#ifndef OVL_HAVE_UDP_TUNNEL_NOTIFY_SK
#define udp_tunnel_notify_add_rx_port(sk, type) \
	udp_tunnel_notify_add_rx_port((sk)->sk_socket, type)
#define udp_tunnel_notify_del_rx_port(sk, type) \
	udp_tunnel_notify_del_rx_port((sk)->sk_socket, type)
#endif
#ifndef OVL_HAVE_UDP_TUNNEL_SOCK_RELEASE_SK
#define udp_tunnel_sock_release(sk)	udp_tunnel_sock_release((sk)->sk_socket)
#endif

/* rtnl_link_ops::newlink.  Up to 6.12 the netns and the attributes are
 * arguments; the netns is what rtnl_newlink_link_net() returns in 7.2.
 */
#ifdef OVL_HAVE_NEWLINK_PARAMS
#define OVL_NEWLINK_COMPAT(fn)
#define OVL_NEWLINK_OP(fn)	fn
#else
struct rtnl_newlink_params {
	struct net *src_net;
	struct net *link_net;
	struct nlattr **tb;
	struct nlattr **data;
};

static inline struct net *rtnl_newlink_link_net(struct rtnl_newlink_params *p)
{
	return p->link_net ? : p->src_net;
}

#define OVL_NEWLINK_COMPAT(fn)						\
static int fn##_compat(struct net *src_net, struct net_device *dev,	\
		       struct nlattr *tb[], struct nlattr *data[],	\
		       struct netlink_ext_ack *extack)			\
{									\
	struct rtnl_newlink_params params = {				\
		.src_net = src_net, .tb = tb, .data = data,		\
	};								\
									\
	return fn(dev, &params, extack);				\
}

#define OVL_NEWLINK_OP(fn)	fn##_compat
#endif

/* ndo_fdb_add/ndo_fdb_del.  Up to 6.12 they cannot tell the core that
 * they sent their own notification; in 5.10 ndo_fdb_del has no extack.
 */
#ifdef OVL_HAVE_FDB_NOTIFIED
#define OVL_FDB_ADD_COMPAT(fn)
#define OVL_FDB_ADD_OP(fn)	fn
#define OVL_FDB_DEL_COMPAT(fn)
#define OVL_FDB_DEL_OP(fn)	fn
#else
#define OVL_FDB_ADD_COMPAT(fn)						\
static int fn##_compat(struct ndmsg *ndm, struct nlattr *tb[],		\
		       struct net_device *dev, const unsigned char *addr, \
		       u16 vid, u16 flags, struct netlink_ext_ack *extack) \
{									\
	bool notified;							\
									\
	return fn(ndm, tb, dev, addr, vid, flags, &notified, extack);	\
}

#define OVL_FDB_ADD_OP(fn)	fn##_compat
#ifdef OVL_HAVE_FDB_DEL_EXTACK
#define OVL_FDB_DEL_COMPAT(fn)						\
static int fn##_compat(struct ndmsg *ndm, struct nlattr *tb[],		\
		       struct net_device *dev, const unsigned char *addr, \
		       u16 vid, struct netlink_ext_ack *extack)		\
{									\
	bool notified;							\
									\
	return fn(ndm, tb, dev, addr, vid, &notified, extack);		\
}

#else
#define OVL_FDB_DEL_COMPAT(fn)						\
static int fn##_compat(struct ndmsg *ndm, struct nlattr *tb[],		\
		       struct net_device *dev, const unsigned char *addr, \
		       u16 vid)						\
{									\
	bool notified;							\
									\
	return fn(ndm, tb, dev, addr, vid, &notified, NULL);		\
}
#endif

#define OVL_FDB_DEL_OP(fn)	fn##_compat
#endif

/* Where an FDB dump resumes: after 6.12 rtnl_fdb_dump() keeps it in
 * cb->ctx (struct ndo_fdb_dump_context) and no longer in cb->args[2];
 * read from the wrong place every part of a dump starts again at the
 * first entry, and a dump longer than one message never ends.
 */
static inline unsigned long ovl_compat_fdb_dump_pos(struct netlink_callback *cb)
{
#ifdef OVL_HAVE_FDB_DUMP_CONTEXT
	const struct ndo_fdb_dump_context *ctx = (const void *)cb->ctx;

	return ctx->fdb_idx;
#else
	return cb->args[2];
#endif
}

#endif /* _OVL_COMPAT_H */
