// SPDX-License-Identifier: GPL-2.0
/*
 * ovl: the transmit path.  Look the destination MAC up in the FDB (falling
 * back to the all-zeros default entry), then encapsulate one copy per
 * remote: VXLAN header, UDP with a flow-hash source port, outer IP.  Runs
 * without locks: the FDB, peers and sockets are read under RCU, routes
 * come from the peer's per-cpu dst_cache.
 */

#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/addrconf.h>
#include <net/dst_cache.h>
#include <net/inet_ecn.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/ip_tunnels.h>
#include <net/route.h>
#include <net/udp_tunnel.h>

#include "gbp.h"
#include "ovl.h"

/* One copy of a frame on its way to one remote. */
struct ovl_tx {
	struct net_device *dev;
	struct ovl_dev *ovl;
	const struct ovl_config *cfg;	/* read once for the frame, RCU */
	struct ovl_peer *peer;
	__be16 sport;
	__be16 dport;
	u32 hdr;			/* the header's first word, host order */
	u32 vni;
	u8 tos;
	u8 ttl;
};

static void ovl_tx_drop(struct ovl_dev *ovl, struct sk_buff *skb, int reason)
{
	ovl_xstats_inc(ovl->xstats, reason);
	dev_core_stats_tx_dropped_inc(ovl->dev);
	kfree_skb(skb);
}

static int ovl_build_skb(struct sk_buff *skb, struct dst_entry *dst,
			 int iphdr_len, const struct ovl_tx *tx, bool udp_sum)
{
	int type = udp_sum ? SKB_GSO_UDP_TUNNEL_CSUM : SKB_GSO_UDP_TUNNEL;
	struct ovlhdr *vh;
	int headroom;
	int err;

	headroom = LL_RESERVED_SPACE(dst->dev) + dst->header_len +
		   OVL_UDP_VXLAN_LEN + iphdr_len;
	err = skb_cow_head(skb, headroom);
	if (unlikely(err))
		return err;

	err = iptunnel_handle_offloads(skb, type);
	if (err)
		return err;

	vh = __skb_push(skb, sizeof(*vh));
	vh->flags = htonl(tx->hdr);
	vh->vni = cpu_to_be32(tx->vni << 8);
	skb_set_inner_protocol(skb, htons(ETH_P_TEB));
	return 0;
}

/* The frame does not fit the path and skb_tunnel_check_pmtu() turned it
 * into an ICMP error for the sender: hand that to our own stack.
 */
static void ovl_deliver_local(struct sk_buff *skb, struct net_device *dev)
{
	unsigned int len;

	skb->pkt_type = PACKET_HOST;
	skb->encapsulation = 0;
	skb->dev = dev;
	__skb_pull(skb, skb_network_offset(skb));
	skb_reset_mac_header(skb);
	skb->protocol = eth_type_trans(skb, dev);
	len = skb->len;
	if (netif_rx(skb) == NET_RX_SUCCESS)
		dev_sw_netstats_rx_add(dev, len);
}

/* localbypass: the remote is an address of this host (@rt_flags of its
 * route say local) and its port an ovl socket's.  Then the frame goes to
 * the device of its VNI on that socket without being encapsulated, as
 * vxlan does: counted as sent here and received there.  No device of
 * that VNI: the frame is dropped (no destination).  Returns false when
 * the route is not local or the port not ovl's, and the caller
 * encapsulates as usual (vxlan drops the frame if its port is not
 * vxlan's).  Unlike vxlan, the receiver learns nothing: vxlan learns
 * the sender behind 127.0.0.1 without a VNI, so its replies go back to
 * the receiving device's own VNI, itself.  And the frame is scrubbed of
 * its route (vxlan keeps it, and a receiver in another netns then
 * routes it by the sender's table).
 */
static bool ovl_bypass(struct ovl_tx *tx, struct sk_buff *skb, u32 rt_flags)
{
	const struct ovl_addr *remote = &tx->peer->key.ip;
	unsigned int len = skb->len;
	struct net_device *dev;
	struct ovl_sock *vs;
	struct ovl_dev *dst;

	if (!(rt_flags & RTCF_LOCAL) ||
	    (rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST)) ||
	    !tx->cfg->localbypass)
		return false;
	vs = ovl_sock_local(tx->ovl->net, remote, tx->dport);
	if (!vs)
		return false;

	dst = ovl_sock_find_vni(vs, tx->vni);
	if (!dst) {
		ovl_tx_drop(tx->ovl, skb, OVL_XSTATS_TX_DROP_NO_DEST);
		return true;
	}
	dev = dst->dev;
	iptunnel_xmit_stats(tx->dev, len);
	/* The receiver counts what it drops as if the frame had come
	 * through its socket: every drop under a reason.
	 */
	if (unlikely(!(dev->flags & IFF_UP))) {
		ovl_xstats_inc(vs->xstats, OVL_XSTATS_SOCK_RX_DROP_DOWN);
		dev_core_stats_rx_dropped_inc(dev);
		kfree_skb(skb);
		return true;
	}
	skb_scrub_packet(skb, !net_eq(dev_net(tx->dev), dev_net(dev)));
	skb->encapsulation = 0;
	skb->protocol = eth_type_trans(skb, dev);
	if (netif_rx(skb) == NET_RX_SUCCESS) {
		dev_sw_netstats_rx_add(dev, len);
	} else {
		/* The backlog was full: the frame could not be queued. */
		ovl_xstats_inc(dst->xstats, OVL_XSTATS_RX_DROP_NOMEM);
		dev_core_stats_rx_dropped_inc(dev);
	}
	return true;
}

static struct rtable *ovl_route4(struct ovl_tx *tx, struct sk_buff *skb,
				 __be32 *saddr)
{
	struct ovl_peer *peer = tx->peer;
	bool use_cache = ip_tunnel_dst_cache_usable(skb, NULL) &&
			 tx->cfg->tos != OVL_TOS_INHERIT;
	struct flowi4 fl4;
	struct rtable *rt;

	if (use_cache) {
		rt = dst_cache_get_ip4(&peer->dst_cache, saddr);
		if (rt)
			return rt;
	}

	/* Zeroed only on a cache miss: clearing the key costs every packet. */
	memset(&fl4, 0, sizeof(fl4));
	fl4.flowi4_oif = peer->key.ifindex ?: tx->cfg->link;
	ovl_compat_flowi4_set_tos(&fl4, tx->tos);
	fl4.flowi4_mark = skb->mark;
	fl4.flowi4_proto = IPPROTO_UDP;
	fl4.daddr = peer->key.ip.ip4;
	fl4.saddr = *saddr;
	fl4.fl4_dport = tx->dport;
	fl4.fl4_sport = tx->sport;

	rt = ip_route_output_key(tx->ovl->net, &fl4);
	if (IS_ERR(rt))
		return ERR_PTR(-ENETUNREACH);
	if (rt->dst.dev == tx->dev) {
		ip_rt_put(rt);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl4.saddr;
	if (use_cache)
		dst_cache_set_ip4(&peer->dst_cache, &rt->dst,
				  fl4.saddr);
	return rt;
}

#if IS_ENABLED(CONFIG_IPV6)
static struct dst_entry *ovl_route6(struct ovl_tx *tx, struct sk_buff *skb,
				    struct sock *sk, struct in6_addr *saddr)
{
	struct ovl_peer *peer = tx->peer;
	bool use_cache = ip_tunnel_dst_cache_usable(skb, NULL) &&
			 tx->cfg->tos != OVL_TOS_INHERIT;
	struct flowi6 fl6;
	struct dst_entry *dst;

	if (use_cache) {
		dst = dst_cache_get_ip6(&peer->dst_cache, saddr);
		if (dst)
			return dst;
	}

	memset(&fl6, 0, sizeof(fl6));
	fl6.flowi6_oif = peer->key.ifindex ?: tx->cfg->link;
	fl6.daddr = peer->key.ip.ip6;
	fl6.saddr = *saddr;
	fl6.flowlabel = ip6_make_flowinfo(tx->tos, tx->cfg->label);
	fl6.flowi6_mark = skb->mark;
	fl6.flowi6_proto = IPPROTO_UDP;
	fl6.fl6_dport = tx->dport;
	fl6.fl6_sport = tx->sport;

	dst = ip6_dst_lookup_flow(tx->ovl->net, sk, &fl6, NULL);
	if (IS_ERR(dst))
		return ERR_PTR(-ENETUNREACH);
	if (dst->dev == tx->dev) {
		dst_release(dst);
		return ERR_PTR(-ELOOP);
	}
	*saddr = fl6.saddr;
	if (use_cache)
		dst_cache_set_ip6(&peer->dst_cache, dst, saddr);
	return dst;
}
#endif

static int ovl_err_reason(int err)
{
	switch (err) {
	case -ELOOP:
		return OVL_XSTATS_TX_DROP_LOOP;
	case -ENETUNREACH:
		return OVL_XSTATS_TX_DROP_NO_ROUTE;
	default:
		return OVL_XSTATS_TX_DROP_NOMEM;
	}
}

static __be16 ovl_df(const struct ovl_config *cfg, struct sk_buff *skb)
{
	switch (cfg->df) {
	case OVL_DF_SET:
		return htons(IP_DF);
	case OVL_DF_INHERIT:
		if (skb->protocol == htons(ETH_P_IPV6) ||
		    (skb->protocol == htons(ETH_P_IP) &&
		     ip_hdr(skb)->frag_off & htons(IP_DF)))
			return htons(IP_DF);
		return 0;
	default:
		return 0;
	}
}

static void ovl_xmit4(struct ovl_tx *tx, struct sk_buff *skb)
{
	const struct ovl_config *cfg = tx->cfg;
	struct ovl_dev *ovl = tx->ovl;
	struct ovl_sock *vs = rcu_dereference(ovl->sock4);
	__be32 saddr = cfg->local.family == AF_INET ? cfg->local.ip4 : 0;
	struct rtable *rt;
	int err;

	if (unlikely(!vs)) {
		ovl_tx_drop(ovl, skb, OVL_XSTATS_TX_DROP_NO_SOCK);
		return;
	}

	rt = ovl_route4(tx, skb, &saddr);
	if (IS_ERR(rt)) {
		ovl_tx_drop(ovl, skb, ovl_err_reason(PTR_ERR(rt)));
		return;
	}
	if (unlikely(ovl_bypass(tx, skb, rt->rt_flags))) {
		ip_rt_put(rt);
		return;
	}

	err = skb_tunnel_check_pmtu(skb, &rt->dst, OVL_OVERHEAD_V4,
				    netif_is_any_bridge_port(tx->dev));
	if (err < 0)
		goto drop;
	if (err) {
		ip_rt_put(rt);
		ovl_deliver_local(skb, tx->dev);
		return;
	}

	tx->tos = ip_tunnel_ecn_encap(tx->tos, ip_hdr(skb), skb);
	tx->ttl = tx->ttl ?: ip4_dst_hoplimit(&rt->dst);
	err = ovl_build_skb(skb, &rt->dst, sizeof(struct iphdr), tx,
			    cfg->udp_csum);
	if (err < 0)
		goto drop;

	udp_tunnel_xmit_skb(rt, vs->sock->sk, skb, saddr, tx->peer->key.ip.ip4,
			    tx->tos, tx->ttl, ovl_df(cfg, skb), tx->sport,
			    tx->dport, ovl_xnet(ovl), !cfg->udp_csum, 0);
	return;
drop:
	ip_rt_put(rt);
	ovl_tx_drop(ovl, skb, OVL_XSTATS_TX_DROP_NOMEM);
}

#if IS_ENABLED(CONFIG_IPV6)
static void ovl_xmit6(struct ovl_tx *tx, struct sk_buff *skb)
{
	const struct ovl_config *cfg = tx->cfg;
	struct ovl_dev *ovl = tx->ovl;
	struct ovl_sock *vs = rcu_dereference(ovl->sock6);
	struct in6_addr saddr = {};
	struct dst_entry *dst;
	u32 rt6_flags;
	int err;

	if (unlikely(!vs)) {
		ovl_tx_drop(ovl, skb, OVL_XSTATS_TX_DROP_NO_SOCK);
		return;
	}
	if (cfg->local.family == AF_INET6)
		saddr = cfg->local.ip6;

	dst = ovl_route6(tx, skb, vs->sock->sk, &saddr);
	if (IS_ERR(dst)) {
		ovl_tx_drop(ovl, skb, ovl_err_reason(PTR_ERR(dst)));
		return;
	}
	rt6_flags = container_of(dst, struct rt6_info, dst)->rt6i_flags;
	if (unlikely(ovl_bypass(tx, skb, rt6_flags))) {
		dst_release(dst);
		return;
	}

	err = skb_tunnel_check_pmtu(skb, dst, OVL_OVERHEAD_V6,
				    netif_is_any_bridge_port(tx->dev));
	if (err < 0)
		goto drop;
	if (err) {
		dst_release(dst);
		ovl_deliver_local(skb, tx->dev);
		return;
	}

	tx->tos = ip_tunnel_ecn_encap(tx->tos, ip_hdr(skb), skb);
	tx->ttl = tx->ttl ?: ip6_dst_hoplimit(dst);
	skb_scrub_packet(skb, ovl_xnet(ovl));
	err = ovl_build_skb(skb, dst, sizeof(struct ipv6hdr), tx,
			    !cfg->zero_csum6_tx);
	if (err < 0)
		goto drop;

	udp_tunnel6_xmit_skb(dst, vs->sock->sk, skb, tx->dev, &saddr,
			     &tx->peer->key.ip.ip6, tx->tos, tx->ttl,
			     cfg->label, tx->sport, tx->dport,
			     cfg->zero_csum6_tx, 0);
	return;
drop:
	dst_release(dst);
	ovl_tx_drop(ovl, skb, OVL_XSTATS_TX_DROP_NOMEM);
}
#endif

static void ovl_xmit_one(struct ovl_dev *ovl, const struct ovl_config *cfg,
			 struct sk_buff *skb, const struct ovl_remote *remote)
{
	struct ovl_tx tx;

	tx.dev = ovl->dev;
	tx.ovl = ovl;
	tx.cfg = cfg;
	tx.peer = rcu_dereference(remote->peer);
	tx.dport = remote->port ?: cfg->port;
	tx.vni = remote->vni_set ? remote->vni : cfg->vni;
	/* The mark now: crossing namespaces scrubs it before the header. */
	tx.hdr = OVL_HDR_FLAG_VNI << 24;
	if (unlikely(cfg->gbp))
		tx.hdr |= ovl_gbp_hdr(skb->mark);
	tx.sport = udp_flow_src_port(ovl->net, skb, cfg->port_min,
				     cfg->port_max, true);
	tx.ttl = cfg->ttl_inherit ? ip_tunnel_get_ttl(ip_hdr(skb), skb) : cfg->ttl;
	/* As vxlan: what goes to a group stays on the link, unless a TTL
	 * is given (ttl auto means 1 there, not the route's hop limit).
	 */
	if (!tx.ttl && ovl_addr_is_multicast(&tx.peer->key.ip))
		tx.ttl = 1;
	tx.tos = cfg->tos == OVL_TOS_INHERIT ?
		 ip_tunnel_get_dsfield(ip_hdr(skb), skb) : cfg->tos;

#if IS_ENABLED(CONFIG_IPV6)
	if (tx.peer->key.ip.family == AF_INET6) {
		ovl_xmit6(&tx, skb);
		return;
	}
#endif
	ovl_xmit4(&tx, skb);
}

netdev_tx_t ovl_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct ovl_dev *ovl = netdev_priv(dev);
	const struct ovl_remote *remote, *last = NULL;
	const struct ovl_config *cfg;
	struct ovl_fdb_entry *f;
	unsigned long now;

	skb_reset_mac_header(skb);
	if (unlikely(!pskb_may_pull(skb, ETH_HLEN))) {
		ovl_tx_drop(ovl, skb, OVL_XSTATS_TX_DROP_NOMEM);
		return NETDEV_TX_OK;
	}

	rcu_read_lock();
	/* Every copy of the frame is sent by one configuration. */
	cfg = rcu_dereference(ovl->cfg);
	if (unlikely(cfg->proxy) && ovl_proxy_xmit(ovl, cfg, skb))
		goto out;
	f = ovl_fdb_lookup(ovl, eth_hdr(skb)->h_dest);
	if (unlikely(cfg->rsc) && f && (READ_ONCE(f->flags) & NTF_ROUTER) &&
	    ovl_route_shortcircuit(ovl, cfg, skb))
		f = ovl_fdb_lookup(ovl, eth_hdr(skb)->h_dest);
	if (!f)
		f = ovl_fdb_lookup(ovl, ovl_zero_mac);
	if (unlikely(!f)) {
		if (cfg->l2miss && !is_multicast_ether_addr(eth_hdr(skb)->h_dest))
			ovl_fdb_notify_miss(ovl, eth_hdr(skb)->h_dest, NULL);
		ovl_tx_drop(ovl, skb, OVL_XSTATS_TX_DROP_NO_DEST);
		goto out;
	}

	now = jiffies;
	if (READ_ONCE(f->used) != now)
		WRITE_ONCE(f->used, now);

	/* Head-end replication: a clone for each remote but the last. */
	list_for_each_entry_rcu(remote, &f->remotes, list) {
		if (last) {
			struct sk_buff *clone = skb_clone(skb, GFP_ATOMIC);

			if (clone)
				ovl_xmit_one(ovl, cfg, clone, last);
			else
				ovl_tx_drop(ovl, NULL, OVL_XSTATS_TX_DROP_NOMEM);
		}
		last = remote;
	}
	if (last)
		ovl_xmit_one(ovl, cfg, skb, last);
	else
		ovl_tx_drop(ovl, skb, OVL_XSTATS_TX_DROP_NO_DEST);
out:
	rcu_read_unlock();
	return NETDEV_TX_OK;
}
