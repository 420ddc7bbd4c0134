// SPDX-License-Identifier: GPL-2.0
/*
 * ovl: rtnetlink configuration.  Attributes are parsed against a strict
 * policy, turned into a candidate ovl_config, validated as a whole, and
 * only then applied: a rejected request leaves the device as it was, and
 * every rejection carries an extack message naming the attribute.
 */

#include <linux/if_link.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <net/ipv6.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "ovl.h"

static const struct nla_policy ovl_policy[IFLA_OVL_MAX + 1] = {
	/* Every attribute strictly: exact lengths, no unknown types. */
	[IFLA_OVL_UNSPEC]		= { .strict_start_type = IFLA_OVL_ID },
	[IFLA_OVL_ID]			= { .type = NLA_U32 },
	[IFLA_OVL_GROUP]		= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[IFLA_OVL_LINK]			= { .type = NLA_U32 },
	[IFLA_OVL_LOCAL]		= NLA_POLICY_EXACT_LEN(sizeof(struct in_addr)),
	[IFLA_OVL_TTL]			= { .type = NLA_U8 },
	[IFLA_OVL_TOS]			= { .type = NLA_U8 },
	[IFLA_OVL_LEARNING]		= { .type = NLA_U8 },
	[IFLA_OVL_AGEING]		= { .type = NLA_U32 },
	[IFLA_OVL_LIMIT]		= { .type = NLA_U32 },
	[IFLA_OVL_PORT_RANGE]		= NLA_POLICY_EXACT_LEN(sizeof(struct ifla_ovl_port_range)),
	[IFLA_OVL_PROXY]		= { .type = NLA_U8 },
	[IFLA_OVL_RSC]			= { .type = NLA_U8 },
	[IFLA_OVL_L2MISS]		= { .type = NLA_U8 },
	[IFLA_OVL_L3MISS]		= { .type = NLA_U8 },
	[IFLA_OVL_PORT]			= { .type = NLA_U16 },
	[IFLA_OVL_GROUP6]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[IFLA_OVL_LOCAL6]		= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[IFLA_OVL_UDP_CSUM]		= { .type = NLA_U8 },
	[IFLA_OVL_UDP_ZERO_CSUM6_TX]	= { .type = NLA_U8 },
	[IFLA_OVL_UDP_ZERO_CSUM6_RX]	= { .type = NLA_U8 },
	[IFLA_OVL_REMCSUM_TX]		= { .type = NLA_U8 },
	[IFLA_OVL_REMCSUM_RX]		= { .type = NLA_U8 },
	[IFLA_OVL_GBP]			= { .type = NLA_FLAG },
	[IFLA_OVL_REMCSUM_NOPARTIAL]	= { .type = NLA_FLAG },
	[IFLA_OVL_COLLECT_METADATA]	= { .type = NLA_U8 },
	[IFLA_OVL_LABEL]		= { .type = NLA_U32 },
	[IFLA_OVL_GPE]			= { .type = NLA_FLAG },
	[IFLA_OVL_TTL_INHERIT]		= { .type = NLA_FLAG },
	[IFLA_OVL_DF]			= NLA_POLICY_MAX(NLA_U8, OVL_DF_MAX),
	[IFLA_OVL_VNIFILTER]		= { .type = NLA_U8 },
	[IFLA_OVL_LOCALBYPASS]		= NLA_POLICY_MAX(NLA_U8, 1),
	[IFLA_OVL_LABEL_POLICY]		= { .type = NLA_U32 },
	[IFLA_OVL_RESERVED_BITS]	= NLA_POLICY_EXACT_LEN(sizeof(struct ovlhdr)),
	[IFLA_OVL_MC_ROUTE]		= { .type = NLA_U8 },
	[IFLA_OVL_FDB_COUNT]		= { .type = NLA_U32 },
	[IFLA_OVL_FDB_LEARNED]		= { .type = NLA_U32 },
};

/* vxlan features ovl leaves out: a vxlan client sends them as 0. */
static const struct {
	int attr;
	const char *msg;
} ovl_unsupported[] = {
	{ IFLA_OVL_REMCSUM_TX, "Remote checksum offload is not supported" },
	{ IFLA_OVL_REMCSUM_RX, "Remote checksum offload is not supported" },
	{ IFLA_OVL_REMCSUM_NOPARTIAL, "Remote checksum offload is not supported" },
	{ IFLA_OVL_COLLECT_METADATA, "Metadata mode (external) is not supported" },
	{ IFLA_OVL_GPE, "VXLAN-GPE is not supported" },
	{ IFLA_OVL_VNIFILTER, "VNI filtering is not supported" },
	{ IFLA_OVL_LABEL_POLICY, "Flow label policies are not supported" },
	{ IFLA_OVL_RESERVED_BITS, "Using reserved header bits is not supported" },
	{ IFLA_OVL_MC_ROUTE, "Multicast routing is not supported" },
	{ IFLA_OVL_FDB_COUNT, "IFLA_OVL_FDB_COUNT is read-only" },
	{ IFLA_OVL_FDB_LEARNED, "IFLA_OVL_FDB_LEARNED is read-only" },
};

/* NL_SET_ERR_MSG_ATTR() takes literals only; these strings are static too. */
static void ovl_extack(struct netlink_ext_ack *extack, const struct nlattr *nla,
		       const char *msg)
{
	if (!extack)
		return;
	extack->_msg = msg;
	extack->bad_attr = nla;
}

static bool ovl_nla_is_zero(const struct nlattr *nla)
{
	const u8 *p = nla_data(nla);
	int i;

	/* A flag attribute is "on" by being present. */
	if (!nla_len(nla))
		return false;
	for (i = 0; i < nla_len(nla); i++)
		if (p[i])
			return false;
	return true;
}

static int ovl_validate(struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	int i;

	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "Provided link layer address is not Ethernet");
			return -EINVAL;
		}
		if (!is_valid_ether_addr(nla_data(tb[IFLA_ADDRESS]))) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "Provided Ethernet address is not unicast");
			return -EADDRNOTAVAIL;
		}
	}
	if (!data)
		return 0;

	for (i = 0; i < ARRAY_SIZE(ovl_unsupported); i++) {
		const struct nlattr *nla = data[ovl_unsupported[i].attr];

		if (nla && !ovl_nla_is_zero(nla)) {
			ovl_extack(extack, nla, ovl_unsupported[i].msg);
			return -EOPNOTSUPP;
		}
	}

	if (data[IFLA_OVL_ID] && nla_get_u32(data[IFLA_OVL_ID]) > OVL_VNI_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_OVL_ID],
				    "IFLA_OVL_ID: VNI must be below 2^24");
		return -ERANGE;
	}

	if (data[IFLA_OVL_PORT_RANGE]) {
		const struct ifla_ovl_port_range *p =
			nla_data(data[IFLA_OVL_PORT_RANGE]);

		if (ntohs(p->high) < ntohs(p->low)) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_OVL_PORT_RANGE],
					    "IFLA_OVL_PORT_RANGE: low port is above high port");
			return -EINVAL;
		}
	}

	if (data[IFLA_OVL_LABEL] &&
	    nla_get_be32(data[IFLA_OVL_LABEL]) & ~IPV6_FLOWLABEL_MASK) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_OVL_LABEL],
				    "IFLA_OVL_LABEL: flow label has more than 20 bits");
		return -EINVAL;
	}
	return 0;
}

static int ovl_nl_addr(struct nlattr *nla, sa_family_t family,
		       struct ovl_addr *a, const char *msg_mcast,
		       struct netlink_ext_ack *extack)
{
	struct ovl_addr tmp;

	ovl_nla_get_addr(&tmp, nla);	/* the policy fixed the length */
	if (family == AF_INET6 ? ipv6_addr_any(&tmp.ip6) : !tmp.ip4) {
		memset(a, 0, sizeof(*a));	/* the unspecified address unsets */
		return 0;
	}
	if (msg_mcast && ovl_addr_is_multicast(&tmp)) {
		ovl_extack(extack, nla, msg_mcast);
		return -EINVAL;
	}
	*a = tmp;
	return 0;
}

/* Apply the attributes to @conf, which holds the current (or default)
 * configuration, and check the result as a whole.
 */
static int ovl_nl2conf(struct ovl_dev *ovl, struct nlattr *tb[],
		       struct nlattr *data[], struct ovl_config *conf,
		       struct netlink_ext_ack *extack)
{
	struct ovl_net *on = net_generic(ovl->net, ovl_net_id);
	struct nlattr *none[IFLA_OVL_MAX + 1] = {};
	struct nlattr *nla;
	int err;

	if (!data)
		data = none;

	if (data[IFLA_OVL_ID]) {
		conf->vni = nla_get_u32(data[IFLA_OVL_ID]);
		conf->vni_set = true;
	}

	nla = data[IFLA_OVL_GROUP] ?: data[IFLA_OVL_GROUP6];
	if (data[IFLA_OVL_GROUP] && data[IFLA_OVL_GROUP6]) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_OVL_GROUP6],
				    "Give one remote: IFLA_OVL_GROUP or IFLA_OVL_GROUP6");
		return -EINVAL;
	}
	if (nla) {
		err = ovl_nl_addr(nla, nla == data[IFLA_OVL_GROUP] ? AF_INET : AF_INET6,
				  &conf->remote, NULL, extack);
		if (err)
			return err;
	}

	nla = data[IFLA_OVL_LOCAL] ?: data[IFLA_OVL_LOCAL6];
	if (data[IFLA_OVL_LOCAL] && data[IFLA_OVL_LOCAL6]) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_OVL_LOCAL6],
				    "Give one local address: IFLA_OVL_LOCAL or IFLA_OVL_LOCAL6");
		return -EINVAL;
	}
	if (nla) {
		err = ovl_nl_addr(nla, nla == data[IFLA_OVL_LOCAL] ? AF_INET : AF_INET6,
				  &conf->local, "Local address must be unicast",
				  extack);
		if (err)
			return err;
	}

	if (ovl_addr_is_set(&conf->local) && ovl_addr_is_set(&conf->remote) &&
	    conf->local.family != conf->remote.family) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_OVL_LOCAL6] ?:
				    data[IFLA_OVL_LOCAL] ?: data[IFLA_OVL_GROUP6] ?:
				    data[IFLA_OVL_GROUP],
				    "Local and remote address families differ");
		return -EINVAL;
	}

	if (data[IFLA_OVL_LINK]) {
		int ifindex = nla_get_u32(data[IFLA_OVL_LINK]);

		if (ifindex && !__dev_get_by_index(ovl->net, ifindex)) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_OVL_LINK],
					    "IFLA_OVL_LINK: underlay device not found");
			return -ENODEV;
		}
		if (ifindex && ovl->dev->ifindex == ifindex) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_OVL_LINK],
					    "IFLA_OVL_LINK: a device can not be its own underlay");
			return -EINVAL;
		}
		conf->link = ifindex;
	}

	if (data[IFLA_OVL_TTL]) {
		conf->ttl = nla_get_u8(data[IFLA_OVL_TTL]);
		conf->ttl_inherit = false;
	}
	if (data[IFLA_OVL_TTL_INHERIT]) {
		if (data[IFLA_OVL_TTL] && conf->ttl) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_OVL_TTL_INHERIT],
					    "Give a fixed TTL or inherit, not both");
			return -EINVAL;
		}
		conf->ttl_inherit = true;
	}
	if (data[IFLA_OVL_TOS])
		conf->tos = nla_get_u8(data[IFLA_OVL_TOS]);
	if (data[IFLA_OVL_DF])
		conf->df = nla_get_u8(data[IFLA_OVL_DF]);
	if (data[IFLA_OVL_LABEL])
		conf->label = nla_get_be32(data[IFLA_OVL_LABEL]);
	if (data[IFLA_OVL_LEARNING])
		conf->learning = !!nla_get_u8(data[IFLA_OVL_LEARNING]);
	if (data[IFLA_OVL_AGEING])
		conf->ageing = nla_get_u32(data[IFLA_OVL_AGEING]);
	if (data[IFLA_OVL_LIMIT])
		conf->limit = nla_get_u32(data[IFLA_OVL_LIMIT]);
	if (data[IFLA_OVL_PORT_RANGE]) {
		const struct ifla_ovl_port_range *p =
			nla_data(data[IFLA_OVL_PORT_RANGE]);

		conf->port_min = ntohs(p->low);
		conf->port_max = ntohs(p->high);
	}
	if (data[IFLA_OVL_PORT]) {
		/* vxlan clients send 0 for "the default port" */
		conf->port = nla_get_be16(data[IFLA_OVL_PORT]) ?:
			     htons(OVL_DEFAULT_PORT);
	}
	if (data[IFLA_OVL_UDP_CSUM])
		conf->udp_csum = !!nla_get_u8(data[IFLA_OVL_UDP_CSUM]);
	if (data[IFLA_OVL_UDP_ZERO_CSUM6_TX])
		conf->zero_csum6_tx = !!nla_get_u8(data[IFLA_OVL_UDP_ZERO_CSUM6_TX]);
	if (data[IFLA_OVL_UDP_ZERO_CSUM6_RX])
		conf->zero_csum6_rx = !!nla_get_u8(data[IFLA_OVL_UDP_ZERO_CSUM6_RX]);
	if (data[IFLA_OVL_LOCALBYPASS])
		conf->localbypass = !!nla_get_u8(data[IFLA_OVL_LOCALBYPASS]);
	if (data[IFLA_OVL_PROXY])
		conf->proxy = !!nla_get_u8(data[IFLA_OVL_PROXY]);
	if (data[IFLA_OVL_RSC])
		conf->rsc = !!nla_get_u8(data[IFLA_OVL_RSC]);
	if (data[IFLA_OVL_L2MISS])
		conf->l2miss = !!nla_get_u8(data[IFLA_OVL_L2MISS]);
	if (data[IFLA_OVL_L3MISS])
		conf->l3miss = !!nla_get_u8(data[IFLA_OVL_L3MISS]);
	if (data[IFLA_OVL_GBP]) {
		/* As vxlan: set at creation only (a flag cannot say "off"). */
		if (rtnl_dereference(ovl->cfg)) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_OVL_GBP],
					    "GBP is set at creation: cannot change GBP flag");
			return -EOPNOTSUPP;
		}
		conf->gbp = true;
	}

	/* As vxlan: a group is joined on one underlay, named. */
	if (ovl_addr_is_multicast(&conf->remote) && !conf->link) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_OVL_GROUP] ?:
				    data[IFLA_OVL_GROUP6] ?: data[IFLA_OVL_LINK],
				    "Local interface required for multicast remote destination");
		return -EINVAL;
	}

	if (conf->vni_set && ovl_vni_in_use(on, ovl, conf->vni, conf->port,
					    ovl_cfg_family(conf))) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_OVL_ID] ?: data[IFLA_OVL_PORT],
				    "IFLA_OVL_ID: VNI already used by another ovl device of this family on this port");
		return -EEXIST;
	}
	return 0;
}

/* A configuration to change: a copy of @base, or the defaults. */
static struct ovl_config *ovl_config_new(const struct ovl_config *base)
{
	struct ovl_config *conf;

	if (base)
		return kmemdup(base, sizeof(*base), GFP_KERNEL);

	conf = kzalloc_obj(*conf, GFP_KERNEL);
	if (!conf)
		return NULL;
	conf->port = htons(OVL_DEFAULT_PORT);
	conf->learning = true;
	conf->ageing = OVL_DEFAULT_AGEING;
	conf->udp_csum = true;
	conf->localbypass = true;
	return conf;
}

/* Publish @conf and free the configuration it replaces once no reader
 * can hold it.  Under RTNL.
 */
static void ovl_config_publish(struct ovl_dev *ovl, struct ovl_config *conf)
{
	struct ovl_config *old = rtnl_dereference(ovl->cfg);

	rcu_assign_pointer(ovl->cfg, conf);
	if (old)
		kfree_rcu(old, rcu);
}

/* The device goes (ndo_uninit), or never came (newlink's error path). */
void ovl_config_free(struct ovl_dev *ovl)
{
	ovl_config_publish(ovl, NULL);
}

static int ovl_overhead(const struct ovl_config *conf)
{
	return ovl_cfg_family(conf) == AF_INET6 ? OVL_OVERHEAD_V6 :
						  OVL_OVERHEAD_V4;
}

static struct net_device *ovl_lower(struct ovl_dev *ovl,
				    const struct ovl_config *conf)
{
	return conf->link ? __dev_get_by_index(ovl->net, conf->link) : NULL;
}

static int ovl_max_mtu(const struct ovl_config *conf, struct net_device *lower)
{
	return lower ? lower->mtu - ovl_overhead(conf) : ETH_MAX_MTU;
}

/* Ask the stack above for room for our headers (outer Ethernet, IP, UDP,
 * VXLAN) and the underlay's own, as vxlan does: without it every frame
 * is copied to a bigger buffer in ovl_build_skb() (skb_cow_head).
 */
static void ovl_set_headroom(struct net_device *dev,
			     const struct ovl_config *conf,
			     struct net_device *lower)
{
	unsigned short room = ovl_overhead(conf);

	if (lower) {
		room += lower->hard_header_len + lower->needed_headroom;
		dev->needed_tailroom = lower->needed_tailroom;
	} else {
		dev->needed_tailroom = 0;
	}
	dev->needed_headroom = room;
}

/* IFLA_MTU must fit the underlay of the configuration it comes with. */
static int ovl_check_mtu(struct net_device *dev, struct nlattr *tb[],
			 int max_mtu, struct netlink_ext_ack *extack)
{
	u32 mtu;

	if (!tb[IFLA_MTU])
		return 0;
	mtu = nla_get_u32(tb[IFLA_MTU]);
	if (mtu < dev->min_mtu || mtu > max_mtu) {
		NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_MTU],
				    "MTU does not fit the underlay");
		return -EINVAL;
	}
	return 0;
}

static int ovl_newlink(struct net_device *dev,
		       struct rtnl_newlink_params *params,
		       struct netlink_ext_ack *extack)
{
	struct nlattr **data = params->data;
	struct nlattr **tb = params->tb;
	struct ovl_dev *ovl = netdev_priv(dev);
	struct net *link_net = rtnl_newlink_link_net(params);
	struct ovl_net *on = net_generic(link_net, ovl_net_id);
	struct net_device *lower;
	struct ovl_config *conf;
	int err;

	/* Created in one netns for another (ip link add ... netns X), or
	 * moved later: the socket stays where the request came from.
	 */
	ovl->net = link_net;
	conf = ovl_config_new(NULL);
	if (!conf)
		return -ENOMEM;
	err = ovl_nl2conf(ovl, tb, data, conf, extack);
	if (err)
		goto err_free;

	lower = ovl_lower(ovl, conf);
	dev->max_mtu = ovl_max_mtu(conf, lower);
	err = ovl_check_mtu(dev, tb, dev->max_mtu, extack);
	if (err)
		goto err_free;
	if (tb[IFLA_MTU])
		dev->mtu = nla_get_u32(tb[IFLA_MTU]);
	else
		dev->mtu = (lower ? lower->mtu : ETH_DATA_LEN) - ovl_overhead(conf);
	if (lower)
		netif_inherit_tso_max(dev, lower);
	ovl_set_headroom(dev, conf, lower);

	/* From here ndo_uninit frees it, if register_netdevice() got so far. */
	RCU_INIT_POINTER(ovl->cfg, conf);
	err = register_netdevice(dev);
	if (err)
		goto err_free_cfg;

	err = ovl_fdb_set_default(ovl, NULL, &conf->remote, conf->limit, extack);
	if (err) {
		unregister_netdevice(dev);
		return err;
	}
	list_add(&ovl->list, &on->devs);
	return 0;

err_free_cfg:
	ovl_config_free(ovl);
	return err;
err_free:
	kfree(conf);
	return err;
}

OVL_NEWLINK_COMPAT(ovl_newlink)

/* Does the open device's group membership move, from @old's on socket
 * @old_vs to @conf's on @vs: another group, underlay or socket, with a
 * group on either side?
 */
static bool ovl_mc_moves(const struct ovl_config *old,
			 const struct ovl_sock *old_vs,
			 const struct ovl_config *conf,
			 const struct ovl_sock *vs)
{
	if (!ovl_addr_is_multicast(&old->remote) &&
	    !ovl_addr_is_multicast(&conf->remote))
		return false;
	return vs != old_vs || old->link != conf->link ||
	       !ovl_addr_equal(&old->remote, &conf->remote);
}

static int ovl_changelink(struct net_device *dev, struct nlattr *tb[],
			  struct nlattr *data[], struct netlink_ext_ack *extack)
{
	struct ovl_dev *ovl = netdev_priv(dev);
	const struct ovl_config *old = ovl_cfg(ovl);
	struct ovl_sock_move move;
	struct ovl_sock *vs;
	struct net_device *lower;
	struct ovl_config *conf;
	bool flush, rearm;
	bool moves, regroup;
	int err;

	conf = ovl_config_new(old);
	if (!conf)
		return -ENOMEM;
	err = ovl_nl2conf(ovl, tb, data, conf, extack);
	if (err)
		goto err_free;

	/* The core checks IFLA_MTU only after changelink: check it first,
	 * against the new underlay, so that a refused MTU changes nothing.
	 */
	lower = ovl_lower(ovl, conf);
	err = ovl_check_mtu(dev, tb, ovl_max_mtu(conf, lower), extack);
	if (err)
		goto err_free;

	/* First what can fail, each step changing nothing when it does: the
	 * new socket, the new group, then the default remote.  Past them
	 * nothing fails and nothing is rolled back.
	 */
	moves = netif_running(dev) && ovl_sock_moves(ovl, conf);
	if (moves) {
		err = ovl_sock_prepare(ovl, conf, &move, extack);
		if (err)
			goto err_free;
	}
	/* The new group is joined before the old one is left: frames to
	 * a group both configurations name are never missed.
	 */
	vs = moves ? move.vs : ovl_sock_of(ovl);
	regroup = netif_running(dev) &&
		  ovl_mc_moves(old, ovl_sock_of(ovl), conf, vs);
	if (regroup) {
		err = ovl_mc_start(ovl, vs, conf, extack);
		if (err)
			goto err_abort;
	}
	err = ovl_fdb_set_default(ovl, &old->remote, &conf->remote,
				  conf->limit, extack);
	if (err)
		goto err_leave;

	/* Learned entries belong to the old segment. */
	flush = conf->vni != old->vni;
	rearm = conf->ageing != old->ageing && netif_running(dev);
	/* Before the commit, which may close the old socket. */
	if (regroup)
		ovl_mc_stop(ovl, ovl_sock_of(ovl), old);
	if (moves)
		ovl_sock_commit(ovl, &move);
	ovl_config_publish(ovl, conf);	/* old is gone after this */

	/* The family or the underlay may have changed: the core checks the
	 * request's IFLA_MTU against max_mtu right after us.
	 */
	dev->max_mtu = ovl_max_mtu(conf, lower);
	ovl_set_headroom(dev, conf, lower);

	if (flush)
		ovl_fdb_flush(ovl, false);
	if (rearm)
		mod_delayed_work(system_power_efficient_wq, &ovl->age_work, 0);
	return 0;

err_leave:
	if (regroup)
		ovl_mc_stop(ovl, vs, conf);
err_abort:
	if (moves)
		ovl_sock_abort(&move);
err_free:
	kfree(conf);
	return err;
}

static void ovl_dellink(struct net_device *dev, struct list_head *head)
{
	struct ovl_dev *ovl = netdev_priv(dev);

	list_del(&ovl->list);
	unregister_netdevice_queue(dev, head);
}

static size_t ovl_get_size(const struct net_device *dev)
{
	return nla_total_size(sizeof(__u32)) +	/* IFLA_OVL_ID */
		nla_total_size(sizeof(struct in6_addr)) + /* IFLA_OVL_GROUP{6} */
		nla_total_size(sizeof(__u32)) +	/* IFLA_OVL_LINK */
		nla_total_size(sizeof(struct in6_addr)) + /* IFLA_OVL_LOCAL{6} */
		nla_total_size(sizeof(__u8)) +	/* IFLA_OVL_TTL */
		nla_total_size(0) +		/* IFLA_OVL_TTL_INHERIT */
		nla_total_size(sizeof(__u8)) +	/* IFLA_OVL_TOS */
		nla_total_size(sizeof(__u8)) +	/* IFLA_OVL_DF */
		nla_total_size(sizeof(__be32)) + /* IFLA_OVL_LABEL */
		nla_total_size(sizeof(__u8)) +	/* IFLA_OVL_LEARNING */
		nla_total_size(sizeof(__u8)) * 4 + /* PROXY RSC L2MISS L3MISS */
		nla_total_size(sizeof(__u8)) +	/* IFLA_OVL_COLLECT_METADATA */
		nla_total_size(sizeof(__u32)) +	/* IFLA_OVL_AGEING */
		nla_total_size(sizeof(__u32)) +	/* IFLA_OVL_LIMIT */
		nla_total_size(sizeof(struct ifla_ovl_port_range)) +
		nla_total_size(sizeof(__be16)) + /* IFLA_OVL_PORT */
		nla_total_size(sizeof(__u8)) * 3 + /* UDP_CSUM, ZERO_CSUM6_TX/RX */
		nla_total_size(sizeof(__u8)) * 2 + /* REMCSUM_TX/RX */
		nla_total_size(sizeof(__u8)) +	/* IFLA_OVL_LOCALBYPASS */
		nla_total_size(0) +		/* IFLA_OVL_GBP */
		nla_total_size(sizeof(__u32)) +	/* IFLA_OVL_FDB_COUNT */
		nla_total_size(sizeof(__u32)) +	/* IFLA_OVL_FDB_LEARNED */
		0;
}

static int ovl_fill_config(struct sk_buff *skb, const struct ovl_config *c)
{
	struct ifla_ovl_port_range ports = {
		.low = htons(c->port_min),
		.high = htons(c->port_max),
	};

	if (c->vni_set && nla_put_u32(skb, IFLA_OVL_ID, c->vni))
		goto nla_put_failure;
	if (ovl_addr_is_set(&c->remote) &&
	    ovl_nla_put_addr(skb, c->remote.family == AF_INET6 ?
			     IFLA_OVL_GROUP6 : IFLA_OVL_GROUP, &c->remote))
		goto nla_put_failure;
	if (c->link && nla_put_u32(skb, IFLA_OVL_LINK, c->link))
		goto nla_put_failure;
	if (ovl_addr_is_set(&c->local) &&
	    ovl_nla_put_addr(skb, c->local.family == AF_INET6 ?
			     IFLA_OVL_LOCAL6 : IFLA_OVL_LOCAL, &c->local))
		goto nla_put_failure;
	if (c->ttl_inherit && nla_put_flag(skb, IFLA_OVL_TTL_INHERIT))
		goto nla_put_failure;
	if (c->gbp && nla_put_flag(skb, IFLA_OVL_GBP))
		goto nla_put_failure;

	if (nla_put_u8(skb, IFLA_OVL_TTL, c->ttl) ||
	    nla_put_u8(skb, IFLA_OVL_TOS, c->tos) ||
	    nla_put_u8(skb, IFLA_OVL_DF, c->df) ||
	    nla_put_be32(skb, IFLA_OVL_LABEL, c->label) ||
	    nla_put_u8(skb, IFLA_OVL_LEARNING, c->learning) ||
	    nla_put_u8(skb, IFLA_OVL_PROXY, c->proxy) ||
	    nla_put_u8(skb, IFLA_OVL_RSC, c->rsc) ||
	    nla_put_u8(skb, IFLA_OVL_L2MISS, c->l2miss) ||
	    nla_put_u8(skb, IFLA_OVL_L3MISS, c->l3miss) ||
	    nla_put_u8(skb, IFLA_OVL_COLLECT_METADATA, 0) ||
	    nla_put_u32(skb, IFLA_OVL_AGEING, c->ageing) ||
	    nla_put_u32(skb, IFLA_OVL_LIMIT, c->limit) ||
	    nla_put(skb, IFLA_OVL_PORT_RANGE, sizeof(ports), &ports) ||
	    nla_put_be16(skb, IFLA_OVL_PORT, c->port) ||
	    nla_put_u8(skb, IFLA_OVL_UDP_CSUM, c->udp_csum) ||
	    nla_put_u8(skb, IFLA_OVL_UDP_ZERO_CSUM6_TX, c->zero_csum6_tx) ||
	    nla_put_u8(skb, IFLA_OVL_UDP_ZERO_CSUM6_RX, c->zero_csum6_rx) ||
	    nla_put_u8(skb, IFLA_OVL_REMCSUM_TX, 0) ||
	    nla_put_u8(skb, IFLA_OVL_REMCSUM_RX, 0) ||
	    nla_put_u8(skb, IFLA_OVL_LOCALBYPASS, c->localbypass))
		goto nla_put_failure;
	return 0;

nla_put_failure:
	return -EMSGSIZE;
}

static int ovl_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	const struct ovl_dev *ovl = netdev_priv(dev);
	int err;

	/* Under RTNL today; RCU keeps it right without. */
	rcu_read_lock();
	err = ovl_fill_config(skb, rcu_dereference_rtnl(ovl->cfg));
	rcu_read_unlock();
	if (err)
		return err;

	if (nla_put_u32(skb, IFLA_OVL_FDB_COUNT, READ_ONCE(ovl->fdb.count)) ||
	    nla_put_u32(skb, IFLA_OVL_FDB_LEARNED, READ_ONCE(ovl->fdb.learned)))
		return -EMSGSIZE;
	return 0;
}

static size_t ovl_get_xstats_size(const struct net_device *dev)
{
	return nla_total_size(0) +
	       (OVL_XSTATS_MAX - OVL_XSTATS_PAD) * nla_total_size_64bit(sizeof(u64));
}

void ovl_xstats_sum(struct ovl_xstats __percpu *xs, u64 *sum)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct ovl_xstats *s = per_cpu_ptr(xs, cpu);
		unsigned int start;
		u64 v[__OVL_XSTATS_MAX];
		int i;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < __OVL_XSTATS_MAX; i++)
				v[i] = u64_stats_read(&s->cnt[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < __OVL_XSTATS_MAX; i++)
			sum[i] += v[i];
	}
}

static int ovl_fill_xstats(struct sk_buff *skb, const struct net_device *dev)
{
	struct ovl_dev *ovl = netdev_priv(dev);
	u64 sum[__OVL_XSTATS_MAX] = {};
	struct ovl_sock *vs;
	struct nlattr *nest;
	int i;

	ovl_xstats_sum(ovl->xstats, sum);
	rcu_read_lock();
	vs = rcu_dereference(ovl->sock4) ?: rcu_dereference(ovl->sock6);
	if (vs)
		ovl_xstats_sum(vs->xstats, sum);
	rcu_read_unlock();

	nest = nla_nest_start(skb, IFLA_INFO_XSTATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = OVL_XSTATS_PAD + 1; i <= OVL_XSTATS_MAX; i++) {
		if (nla_put_u64_64bit(skb, i, sum[i], OVL_XSTATS_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static struct net *ovl_get_link_net(const struct net_device *dev)
{
	const struct ovl_dev *ovl = netdev_priv(dev);

	return ovl->net;
}

struct rtnl_link_ops ovl_link_ops __read_mostly = {
	.kind		= OVL_KIND,
	.maxtype	= IFLA_OVL_MAX,
	.policy		= ovl_policy,
	.priv_size	= sizeof(struct ovl_dev),
	.setup		= ovl_setup,
	.validate	= ovl_validate,
	.newlink	= OVL_NEWLINK_OP(ovl_newlink),
	.changelink	= ovl_changelink,
	.dellink	= ovl_dellink,
	.get_size	= ovl_get_size,
	.fill_info	= ovl_fill_info,
	.get_xstats_size = ovl_get_xstats_size,
	.fill_xstats	= ovl_fill_xstats,
	.get_link_net	= ovl_get_link_net,
};
