// SPDX-License-Identifier: GPL-2.0
/*
 * ovl: the receive path.  The UDP socket hands us every datagram to its
 * port; we check the VXLAN header, find the device by VNI, learn the inner
 * source MAC and pass the inner frame up: through GRO cells when GRO can
 * merge it, straight to the stack when not.  Every dropped packet is
 * counted under one reason (OVL_XSTATS_*).
 */

#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/gro.h>
#include <net/inet_ecn.h>
#include <net/ip_tunnels.h>
#include <net/protocol.h>
#include <net/udp.h>
#include <net/udp_tunnel.h>

#include "gbp.h"
#include "ovl.h"

static struct ovlhdr *ovl_hdr(struct sk_buff *skb)
{
	return (struct ovlhdr *)(udp_hdr(skb) + 1);
}

static void ovl_outer_src(struct sk_buff *skb, sa_family_t family,
			  struct ovl_addr *src)
{
	memset(src, 0, sizeof(*src));
	src->family = family;
	if (family == AF_INET6)
		src->ip6 = ipv6_hdr(skb)->saddr;
	else
		src->ip4 = ip_hdr(skb)->saddr;
}

static int ovl_ecn_decapsulate(sa_family_t family, void *oiph,
			       struct sk_buff *skb)
{
	if (family == AF_INET6)
		return IP6_ECN_decapsulate(oiph, skb);
	return IP_ECN_decapsulate(oiph, skb);
}

/* ---- delivery ----
 *
 * GRO cells cost every frame a queue, a NAPI poll and a pass through GRO.
 * That pays for frames GRO can merge; vxlan pays it for every frame.  ovl
 * hands a frame GRO cannot merge straight to the stack, which raised the
 * 64-byte UDP packet rate by about 30 % (Documentation/performance.rst).
 * The test is GRO's own, and it depends on the flow (protocol, socket),
 * not on the packet, so a flow does not split between the two paths.
 * With GRO off on the device, every frame goes straight up.
 */

/* Would GRO merge this UDP datagram?  As udp_gro_receive() decides: for a
 * socket that asked (UDP_GRO), a nested tunnel's socket, or a device that
 * merges forwarded UDP.  The socket is the one delivery will find.
 */
static bool ovl_gro_merges_udp(struct sk_buff *skb, unsigned int thoff)
{
	struct net_device *dev = skb->dev;
	struct net *net = dev_net(dev);
	const struct udphdr *uh;
	struct sock *sk = NULL;

	if (dev->features & (NETIF_F_GRO_FRAGLIST | NETIF_F_GRO_UDP_FWD))
		return true;
	if (!pskb_may_pull(skb, thoff + sizeof(*uh)))
		return false;	/* the stack drops it */
	uh = (const struct udphdr *)(skb_network_header(skb) + thoff);

	if (skb->protocol == htons(ETH_P_IP)) {
		const struct iphdr *iph = ip_hdr(skb);

		sk = __udp4_lib_lookup(net, iph->saddr, uh->source,
				       iph->daddr, uh->dest, dev->ifindex, 0,
				       NULL);
#if IS_ENABLED(CONFIG_IPV6)
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);

		sk = __udp6_lib_lookup(net, &ip6h->saddr, uh->source,
				       &ip6h->daddr, uh->dest, dev->ifindex, 0,
				       NULL);
#endif
	}
	return sk && (udp_sk(sk)->gro_receive || udp_test_bit(GRO_ENABLED, sk));
}

/* Would GRO merge this frame?  Only if it has a GRO handler for the
 * protocol; for UDP, see above.  Called with the network header set.
 */
static bool ovl_gro_merges(struct sk_buff *skb)
{
	const struct net_offload *ops;
	unsigned int thoff;
	u8 proto;

	if (netif_elide_gro(skb->dev))
		return false;

	switch (skb->protocol) {
	case htons(ETH_P_IP): {
		const struct iphdr *iph = ip_hdr(skb);

		/* GRO flushes fragments as they come. */
		if (ip_is_fragment(iph))
			return false;
		proto = iph->protocol;
		thoff = iph->ihl * 4;
		ops = rcu_dereference(inet_offloads[proto]);
		break;
	}
#if IS_ENABLED(CONFIG_IPV6)
	case htons(ETH_P_IPV6):
		/* An extension header has an entry too: GRO walks past it. */
		proto = ipv6_hdr(skb)->nexthdr;
		thoff = sizeof(struct ipv6hdr);
		ops = rcu_dereference(inet6_offloads[proto]);
		break;
#endif
	default:
		return !!gro_find_receive_by_type(skb->protocol);
	}
	if (!ops)
		return false;
	return proto != IPPROTO_UDP || ovl_gro_merges_udp(skb, thoff);
}

/* How deep this CPU is in a direct delivery: a frame delivered directly
 * may carry another tunnelled frame for us (through a bridge, or ovl over
 * ovl), and handing that one up directly too would recurse once per
 * header in the packet.  Nested frames take the GRO cells' queue.
 * Receive runs with BH off, so a per-CPU counter is enough.
 */
static DEFINE_PER_CPU(u8, ovl_rx_nested);

static void ovl_deliver(struct ovl_dev *ovl, struct sk_buff *skb)
{
	if (__this_cpu_read(ovl_rx_nested) || ovl_gro_merges(skb)) {
		gro_cells_receive(&ovl->gro_cells, skb);
		return;
	}
	__this_cpu_inc(ovl_rx_nested);
	netif_receive_skb(skb);
	__this_cpu_dec(ovl_rx_nested);
}

int ovl_udp_encap_recv(struct sock *sk, struct sk_buff *skb)
{
	struct ovl_sock *vs = rcu_dereference_sk_user_data(sk);
	const struct ovl_config *cfg;
	struct ovl_addr src;
	struct ovl_dev *ovl;
	struct ovlhdr *vh;
	bool gbp = false;
	u32 mark = 0;
	void *oiph;
	int reason;
	int nh;

	if (unlikely(!vs))
		goto drop;
	ovl_xstats_inc(vs->xstats, OVL_XSTATS_SOCK_RX_PACKETS);

	if (!pskb_may_pull(skb, OVL_UDP_VXLAN_LEN)) {
		ovl_xstats_inc(vs->xstats, OVL_XSTATS_SOCK_RX_DROP_BAD_HDR);
		goto drop;
	}
	vh = ovl_hdr(skb);
	/* RFC 7348: the I flag must be set, every other bit is reserved and
	 * "MUST be ignored on receipt".  vxlan drops frames with reserved
	 * bits set; ovl follows the RFC.
	 */
	if (!(vh->flags & htonl(OVL_HDR_FLAG_VNI << 24))) {
		ovl_xstats_inc(vs->xstats, OVL_XSTATS_SOCK_RX_DROP_BAD_HDR);
		goto drop;
	}

	ovl = ovl_sock_find_vni(vs, ovl_hdr_vni(vh));
	if (!ovl) {
		ovl_xstats_inc(vs->xstats, OVL_XSTATS_SOCK_RX_DROP_UNKNOWN_VNI);
		goto drop;
	}
	if (unlikely(!(ovl->dev->flags & IFF_UP))) {
		ovl_xstats_inc(vs->xstats, OVL_XSTATS_SOCK_RX_DROP_DOWN);
		goto drop_dev;
	}

	cfg = rcu_dereference(ovl->cfg);
	/* Read before the pull, which scrubs the mark across namespaces. */
	if (unlikely(cfg->gbp))
		gbp = ovl_gbp_mark(ntohl(vh->flags), &mark);
	ovl_outer_src(skb, vs->key.family, &src);

	/* Tell a runt inner frame from a failure to pull the headers. */
	if (skb->len < OVL_UDP_VXLAN_LEN + ETH_HLEN) {
		reason = OVL_XSTATS_RX_DROP_SHORT;
		goto drop_reason;
	}
	if (__iptunnel_pull_header(skb, OVL_UDP_VXLAN_LEN, htons(ETH_P_TEB),
				   false, ovl_xnet(ovl))) {
		reason = OVL_XSTATS_RX_DROP_NOMEM;
		goto drop_reason;
	}

	if (gbp)
		skb->mark = mark;
	skb_reset_mac_header(skb);
	skb->protocol = eth_type_trans(skb, ovl->dev);
	skb_postpull_rcsum(skb, eth_hdr(skb), ETH_HLEN);

	/* Our own frames coming back: a loop in the underlay. */
	if (ether_addr_equal(eth_hdr(skb)->h_source, ovl->dev->dev_addr)) {
		reason = OVL_XSTATS_RX_DROP_OWN_MAC;
		goto drop_reason;
	}
	/* No station sends from a group or all-zeros address (802.1D). */
	if (!is_valid_ether_addr(eth_hdr(skb)->h_source)) {
		reason = OVL_XSTATS_RX_DROP_BAD_SRC_MAC;
		goto drop_reason;
	}

	if (cfg->learning &&
	    ovl_fdb_learn(ovl, eth_hdr(skb)->h_source, &src)) {
		reason = OVL_XSTATS_FDB_LEARN_STATIC;
		goto drop_reason;
	}

	/* Keep the outer header reachable for ECN; resetting moves on. */
	nh = skb_network_header(skb) - skb->head;
	skb_reset_network_header(skb);
	if (!pskb_inet_may_pull(skb)) {
		reason = OVL_XSTATS_RX_DROP_SHORT;
		goto drop_reason;
	}
	oiph = skb->head + nh;
	if (ovl_ecn_decapsulate(vs->key.family, oiph, skb) > 1) {
		reason = OVL_XSTATS_RX_DROP_ECN;
		goto drop_reason;
	}

	dev_sw_netstats_rx_add(ovl->dev, skb->len);
	ovl_deliver(ovl, skb);
	return 0;

drop_reason:
	ovl_xstats_inc(ovl->xstats, reason);
drop_dev:
	dev_core_stats_rx_dropped_inc(ovl->dev);
drop:
	kfree_skb(skb);
	return 0;
}

/* ICMP errors for our port: claim them only for a VNI we serve. */
int ovl_udp_err_lookup(struct sock *sk, struct sk_buff *skb)
{
	struct ovl_sock *vs = rcu_dereference_sk_user_data(sk);
	struct ovlhdr *vh;

	if (!vs)
		return -ENOENT;
	if (!pskb_may_pull(skb, skb_transport_offset(skb) + OVL_UDP_VXLAN_LEN))
		return -EINVAL;
	vh = ovl_hdr(skb);
	if (!(vh->flags & htonl(OVL_HDR_FLAG_VNI << 24)))
		return -EINVAL;
	return ovl_sock_find_vni(vs, ovl_hdr_vni(vh)) ? 0 : -ENOENT;
}

struct sk_buff *ovl_gro_receive(struct sock *sk, struct list_head *head,
				struct sk_buff *skb)
{
	unsigned int off = skb_gro_offset(skb);
	struct sk_buff *pp = NULL;
	struct ovlhdr *vh, *vh2;
	struct sk_buff *p;
	int flush = 1;

	vh = skb_gro_header(skb, off + sizeof(*vh), off);
	if (unlikely(!vh))
		goto out;
	/* Not ours to aggregate: the receive path will count and drop it. */
	if (!(vh->flags & htonl(OVL_HDR_FLAG_VNI << 24)))
		goto out;

	skb_gro_postpull_rcsum(skb, vh, sizeof(*vh));
	skb_gro_pull(skb, sizeof(*vh));

	list_for_each_entry(p, head, list) {
		if (!NAPI_GRO_CB(p)->same_flow)
			continue;
		vh2 = (struct ovlhdr *)(p->data + off);
		if (vh->flags != vh2->flags || vh->vni != vh2->vni)
			NAPI_GRO_CB(p)->same_flow = 0;
	}

	pp = call_gro_receive(eth_gro_receive, head, skb);
	flush = 0;
out:
	skb_gro_flush_final(skb, pp, flush);
	return pp;
}

int ovl_gro_complete(struct sock *sk, struct sk_buff *skb, int nhoff)
{
	/* Sets inner_mac_header: GRO keeps skb->encapsulation for tunnels. */
	return eth_gro_complete(skb, nhoff + sizeof(struct ovlhdr));
}
