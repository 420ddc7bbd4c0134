// SPDX-License-Identifier: GPL-2.0
/*
 * ovl: what the device answers or rewrites from its own neighbour table,
 * as vxlan does: ARP and IPv6 ND proxy, route short-circuit and L3 miss
 * notifications (vxlan's proxy, rsc and l3miss).  With proxy on, an ARP
 * request or a neighbour solicitation sent into the overlay is not
 * flooded to the remote VTEPs:
 * it is answered from the device's own neighbour table (the entries a
 * control plane such as Docker's overlay driver or Flannel programs), or
 * dropped; with l3miss on, a target the table does not know is reported
 * as an RTM_GETNEIGH message, which the control plane answers by adding
 * the entry.  Transmit path: under rcu_read_lock(), no lock taken.
 */

#include <linux/if_arp.h>
#include <net/arp.h>
#include <net/ip6_checksum.h>
#include <net/ndisc.h>

#include "ovl.h"

/* The MAC of @ip in the device's neighbour table into @ha, if its entry
 * is valid.  An address the table has no entry for at all is an L3 miss,
 * as in vxlan (an entry being resolved, or failed, is not).
 */
static bool ovl_neigh_ha(struct ovl_dev *ovl, const struct ovl_config *cfg,
			 const struct ovl_addr *ip, u8 *ha)
{
	struct net_device *dev = ovl->dev;
	struct neighbour *n;
	bool ok;

#if IS_ENABLED(CONFIG_IPV6)
	if (ip->family == AF_INET6)
		n = neigh_lookup(&nd_tbl, &ip->ip6, dev);
	else
#endif
		n = neigh_lookup(&arp_tbl, &ip->ip4, dev);
	if (!n) {
		if (cfg->l3miss)
			ovl_fdb_notify_miss(ovl, NULL, ip);
		return false;
	}
	ok = READ_ONCE(n->nud_state) & NUD_CONNECTED;
	if (ok)
		neigh_ha_snapshot(ha, n, dev);
	neigh_release(n);
	return ok;
}

static void ovl_proxy_reply(struct ovl_dev *ovl, struct sk_buff *reply)
{
	skb_reset_mac_header(reply);
	__skb_pull(reply, skb_network_offset(reply));
	reply->ip_summed = CHECKSUM_UNNECESSARY;
	reply->pkt_type = PACKET_HOST;
	if (netif_rx(reply) == NET_RX_DROP)
		dev_core_stats_rx_dropped_inc(ovl->dev);
}

static void ovl_proxy_arp(struct ovl_dev *ovl, const struct ovl_config *cfg,
			  struct sk_buff *skb)
{
	struct net_device *dev = ovl->dev;
	u8 ha[ETH_ALEN] __aligned(2);
	struct sk_buff *reply;
	const struct arphdr *arp;
	struct ovl_addr target = { .family = AF_INET };
	const u8 *p, *sha;
	__be32 sip;

	if (dev->flags & IFF_NOARP)
		return;
	if (!pskb_may_pull(skb, skb_network_offset(skb) + arp_hdr_len(dev)))
		return;
	arp = arp_hdr(skb);
	if ((arp->ar_hrd != htons(ARPHRD_ETHER) &&
	     arp->ar_hrd != htons(ARPHRD_IEEE802)) ||
	    arp->ar_pro != htons(ETH_P_IP) || arp->ar_op != htons(ARPOP_REQUEST) ||
	    arp->ar_hln != ETH_ALEN || arp->ar_pln != 4)
		return;

	/* sender MAC, sender IP, target MAC, target IP */
	p = (const u8 *)(arp + 1);
	sha = p;
	memcpy(&sip, p + ETH_ALEN, sizeof(sip));
	memcpy(&target.ip4, p + 2 * ETH_ALEN + sizeof(sip), sizeof(target.ip4));
	if (ipv4_is_loopback(target.ip4) || ipv4_is_multicast(target.ip4))
		return;

	if (!ovl_neigh_ha(ovl, cfg, &target, ha))
		return;
	reply = arp_create(ARPOP_REPLY, ETH_P_ARP, sip, dev, target.ip4, sha,
			   ha, sha);
	if (reply)
		ovl_proxy_reply(ovl, reply);
}

#if IS_ENABLED(CONFIG_IPV6)
/* Where the answer to @ns goes: its source link-layer option, else the
 * frame's source.  NULL if the options are malformed.
 */
static const u8 *ovl_ns_source(struct sk_buff *skb, const struct nd_msg *ns,
			       int len)
{
	const u8 *opt = ns->opt;
	int i, olen;

	for (i = 0; i + 2 <= len; i += olen) {
		olen = opt[i + 1] << 3;
		if (!olen || i + olen > len)
			return NULL;
		if (opt[i] == ND_OPT_SOURCE_LL_ADDR &&
		    olen >= sizeof(struct nd_opt_hdr) + ETH_ALEN)
			return opt + i + sizeof(struct nd_opt_hdr);
	}
	return eth_hdr(skb)->h_source;
}

/* A solicited neighbour advertisement for @ns, from @ha. */
static struct sk_buff *ovl_na_create(struct net_device *dev,
				     struct sk_buff *skb,
				     const struct nd_msg *ns, const u8 *dst,
				     const u8 *ha)
{
	const int olen = sizeof(struct nd_opt_hdr) + ETH_ALEN;
	const struct ipv6hdr *req = ipv6_hdr(skb);
	struct sk_buff *reply;
	struct ipv6hdr *ip6;
	struct nd_msg *na;
	int len = sizeof(*na) + olen;

	reply = alloc_skb(LL_RESERVED_SPACE(dev) + sizeof(*ip6) + len +
			  dev->needed_tailroom, GFP_ATOMIC);
	if (!reply)
		return NULL;
	skb_reserve(reply, LL_RESERVED_SPACE(dev));
	reply->dev = dev;
	reply->protocol = htons(ETH_P_IPV6);

	skb_reset_network_header(reply);
	ip6 = skb_put_zero(reply, sizeof(*ip6));
	ip6->version = 6;
	ip6->priority = req->priority;
	ip6->nexthdr = IPPROTO_ICMPV6;
	ip6->hop_limit = 255;
	ip6->payload_len = htons(len);
	ip6->saddr = ns->target;
	ip6->daddr = req->saddr;

	na = skb_put_zero(reply, len);
	na->icmph.icmp6_type = NDISC_NEIGHBOUR_ADVERTISEMENT;
	na->icmph.icmp6_override = 1;
	na->icmph.icmp6_solicited = 1;
	na->target = ns->target;
	na->opt[0] = ND_OPT_TARGET_LL_ADDR;
	na->opt[1] = olen >> 3;
	ether_addr_copy(&na->opt[2], ha);
	na->icmph.icmp6_cksum = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len,
						IPPROTO_ICMPV6,
						csum_partial(na, len, 0));

	if (dev_hard_header(reply, dev, ETH_P_IPV6, dst, ha, reply->len) < 0) {
		kfree_skb(reply);
		return NULL;
	}
	return reply;
}

static void ovl_proxy_nd(struct ovl_dev *ovl, const struct ovl_config *cfg,
			 struct sk_buff *skb)
{
	struct ovl_addr target = { .family = AF_INET6 };
	struct net_device *dev = ovl->dev;
	u8 ha[ETH_ALEN] __aligned(2);
	const struct nd_msg *ns;
	struct sk_buff *reply;
	const u8 *dst;
	int len;

	if (!pskb_may_pull(skb, skb->len) || !__in6_dev_get(dev))
		return;
	ns = (const struct nd_msg *)(ipv6_hdr(skb) + 1);
	if (ipv6_addr_loopback(&ipv6_hdr(skb)->daddr) ||
	    ipv6_addr_is_multicast(&ns->target))
		return;

	target.ip6 = ns->target;
	if (!ovl_neigh_ha(ovl, cfg, &target, ha))
		return;
	/* The options end where the payload does, not at the frame's
	 * padding.
	 */
	len = ntohs(ipv6_hdr(skb)->payload_len) - (int)sizeof(*ns);
	if (len < 0 || skb_network_offset(skb) + sizeof(struct ipv6hdr) +
		       sizeof(*ns) + len > skb->len)
		return;
	dst = ovl_ns_source(skb, ns, len);
	if (!dst)
		return;
	reply = ovl_na_create(dev, skb, ns, dst, ha);
	if (reply)
		ovl_proxy_reply(ovl, reply);
}

/* Is @skb a neighbour solicitation (with its headers pulled)? */
static bool ovl_is_ns(struct sk_buff *skb)
{
	const struct nd_msg *m;

	if (!pskb_may_pull(skb, skb_network_offset(skb) +
			   sizeof(struct ipv6hdr) + sizeof(*m)) ||
	    ipv6_hdr(skb)->nexthdr != IPPROTO_ICMPV6)
		return false;
	m = (const struct nd_msg *)(ipv6_hdr(skb) + 1);
	return m->icmph.icmp6_type == NDISC_NEIGHBOUR_SOLICITATION &&
	       m->icmph.icmp6_code == 0;
}
#endif

/* proxy: answer @skb here if it is an ARP request or a neighbour
 * solicitation; true when it was one (and is consumed, answered or not).
 */
bool ovl_proxy_xmit(struct ovl_dev *ovl, const struct ovl_config *cfg,
		    struct sk_buff *skb)
{
	__be16 proto = eth_hdr(skb)->h_proto;

	skb_set_network_header(skb, ETH_HLEN);
	if (proto == htons(ETH_P_ARP)) {
		ovl_proxy_arp(ovl, cfg, skb);
		consume_skb(skb);
		return true;
	}
#if IS_ENABLED(CONFIG_IPV6)
	if (proto == htons(ETH_P_IPV6) && ovl_is_ns(skb)) {
		ovl_proxy_nd(ovl, cfg, skb);
		consume_skb(skb);
		return true;
	}
#endif
	return false;
}

/* rsc: a frame to a router (an FDB entry added with "router") whose IP
 * destination is in the device's neighbour table is sent straight to
 * that neighbour's MAC, skipping the router's hop; a destination not in
 * the table is an L3 miss.  True when the frame's MACs were rewritten.
 */
bool ovl_route_shortcircuit(struct ovl_dev *ovl, const struct ovl_config *cfg,
			    struct sk_buff *skb)
{
	u8 ha[ETH_ALEN] __aligned(2);
	struct ovl_addr dst = {};

	if (is_multicast_ether_addr(eth_hdr(skb)->h_dest))
		return false;
	if (eth_hdr(skb)->h_proto == htons(ETH_P_IP)) {
		if (!pskb_may_pull(skb, ETH_HLEN + sizeof(struct iphdr)))
			return false;
		skb_set_network_header(skb, ETH_HLEN);
		dst.family = AF_INET;
		dst.ip4 = ip_hdr(skb)->daddr;
#if IS_ENABLED(CONFIG_IPV6)
	} else if (eth_hdr(skb)->h_proto == htons(ETH_P_IPV6)) {
		if (!pskb_may_pull(skb, ETH_HLEN + sizeof(struct ipv6hdr)))
			return false;
		skb_set_network_header(skb, ETH_HLEN);
		dst.family = AF_INET6;
		dst.ip6 = ipv6_hdr(skb)->daddr;
#endif
	} else {
		return false;
	}

	if (!ovl_neigh_ha(ovl, cfg, &dst, ha))
		return false;
	if (ether_addr_equal(eth_hdr(skb)->h_dest, ha))
		return false;
	/* The header may be shared with a clone (a bridge's flood, a tap). */
	if (skb_ensure_writable(skb, ETH_HLEN))
		return false;
	ether_addr_copy(eth_hdr(skb)->h_source, eth_hdr(skb)->h_dest);
	ether_addr_copy(eth_hdr(skb)->h_dest, ha);
	return true;
}
