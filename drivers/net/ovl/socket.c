// SPDX-License-Identifier: GPL-2.0
/*
 * ovl: UDP tunnel sockets.  One socket per (netns, family, port) is shared
 * by every open ovl device there; received packets find their device by
 * VNI in the socket's hash.  Sockets and the hash change under RTNL only
 * (open, stop, changelink); the receive path reads them under RCU.
 */

#include <linux/hash.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/udp_tunnel.h>

#include "ovl.h"

/* Any non-zero encap_type makes UDP hand datagrams to encap_rcv; the
 * number picks no decoder of its own for tunnels.  vxlan and geneve pass
 * 1, as does ovl.
 */
#define OVL_UDP_ENCAP_TYPE	1

static struct hlist_head *ovl_vni_head(struct ovl_sock *vs, u32 vni)
{
	return &vs->vni_hash[hash_32(vni, OVL_VNI_HASH_BITS)];
}

static void ovl_rx_key_init(struct ovl_rx_key *key, const struct ovl_config *cfg)
{
	memset(key, 0, sizeof(*key));
	key->sock.family = ovl_cfg_family(cfg);
	key->sock.port = cfg->port;
	key->sock.zero_csum6_rx = key->sock.family == AF_INET6 &&
				  cfg->zero_csum6_rx;
	key->vni = cfg->vni;
}

/* Would @cfg put the open device on another socket or VNI slot? */
bool ovl_sock_moves(const struct ovl_dev *ovl, const struct ovl_config *cfg)
{
	struct ovl_rx_key key;

	ovl_rx_key_init(&key, cfg);
	return memcmp(&key, &ovl->rx_key, sizeof(key)) != 0;
}

struct ovl_dev *ovl_sock_find_vni(struct ovl_sock *vs, u32 vni)
{
	struct ovl_dev *ovl;

	hlist_for_each_entry_rcu(ovl, ovl_vni_head(vs, vni), vni_node,
				 lockdep_rtnl_is_held()) {
		if (ovl->rx_key.vni == vni)
			return ovl;
	}
	return NULL;
}

/* localbypass: the ovl socket that would receive a datagram to local
 * address @dst, port @port, in @net.  NULL if that port is not an ovl
 * socket's (another tunnel, or nothing: the caller encapsulates as
 * usual).  Under RCU, as the receive path finds it.
 */
struct ovl_sock *ovl_sock_local(struct net *net, const struct ovl_addr *dst,
				__be16 port)
{
	struct sock *sk = NULL;

	if (dst->family == AF_INET)
		sk = __udp4_lib_lookup(net, 0, 0, dst->ip4, port, 0, 0, NULL);
#if IS_ENABLED(CONFIG_IPV6)
	else
		sk = __udp6_lib_lookup(net, &in6addr_any, 0, &dst->ip6, port,
				       0, 0, NULL);
#endif
	if (!sk || READ_ONCE(udp_sk(sk)->encap_rcv) != ovl_udp_encap_recv)
		return NULL;
	return rcu_dereference_sk_user_data(sk);
}

/* Is @vni taken on the @family socket of @port by an ovl device other
 * than @self in this netns?  The IPv4 and IPv6 sockets of a port each
 * have their own VNI hash, so one VNI may be used once per family, as
 * vxlan allows (Flannel's dual stack: flannel.1 and flannel-v6.1).
 */
bool ovl_vni_in_use(struct ovl_net *on, struct ovl_dev *self, u32 vni,
		    __be16 port, sa_family_t family)
{
	struct ovl_dev *ovl;

	ASSERT_RTNL();
	list_for_each_entry(ovl, &on->devs, list) {
		const struct ovl_config *cfg = ovl_cfg(ovl);

		if (ovl != self && cfg->vni_set && cfg->vni == vni &&
		    cfg->port == port && ovl_cfg_family(cfg) == family)
			return true;
	}
	return false;
}

static struct socket *ovl_create_sock(struct net *net,
				      const struct ovl_sock_key *key)
{
	struct udp_port_cfg conf = {};
	struct socket *sock;
	int err;

	conf.family = key->family;
	conf.local_udp_port = key->port;
	if (key->family == AF_INET6) {
		conf.ipv6_v6only = 1;
		conf.use_udp6_rx_checksums = !key->zero_csum6_rx;
	}
	err = udp_sock_create(net, &conf, &sock);
	if (err < 0)
		return ERR_PTR(err);
	return sock;
}

static struct ovl_sock *ovl_sock_create(struct net *net,
					const struct ovl_sock_key *key)
{
	struct ovl_net *on = net_generic(net, ovl_net_id);
	struct udp_tunnel_sock_cfg cfg = {};
	struct ovl_sock *vs;
	struct socket *sock;
	int err;
	int i;

	vs = kzalloc_obj(*vs, GFP_KERNEL);
	if (!vs)
		return ERR_PTR(-ENOMEM);

	vs->xstats = netdev_alloc_pcpu_stats(struct ovl_xstats);
	if (!vs->xstats) {
		err = -ENOMEM;
		goto err_free;
	}

	sock = ovl_create_sock(net, key);
	if (IS_ERR(sock)) {
		err = PTR_ERR(sock);
		goto err_xstats;
	}

	for (i = 0; i < OVL_VNI_HASH_SIZE; i++)
		INIT_HLIST_HEAD(&vs->vni_hash[i]);
	vs->sock = sock;
	vs->key = *key;
	refcount_set(&vs->refcnt, 1);

	cfg.sk_user_data = vs;
	cfg.encap_type = OVL_UDP_ENCAP_TYPE;
	cfg.encap_rcv = ovl_udp_encap_recv;
	cfg.encap_err_lookup = ovl_udp_err_lookup;
	cfg.gro_receive = ovl_gro_receive;
	cfg.gro_complete = ovl_gro_complete;
	setup_udp_tunnel_sock(net, sock->sk, &cfg);

	/* Let NICs that parse VXLAN offload our port. */
	udp_tunnel_notify_add_rx_port(sock->sk, UDP_TUNNEL_TYPE_VXLAN);

	list_add(&vs->list, &on->socks);
	return vs;

err_xstats:
	free_percpu(vs->xstats);
err_free:
	kfree(vs);
	return ERR_PTR(err);
}

static void ovl_sock_put(struct ovl_sock *vs)
{
	if (!vs || !refcount_dec_and_test(&vs->refcnt))
		return;

	list_del(&vs->list);
	udp_tunnel_notify_del_rx_port(vs->sock->sk, UDP_TUNNEL_TYPE_VXLAN);
	/* No receive path may still see vs once we free it. */
	synchronize_net();
	udp_tunnel_sock_release(vs->sock->sk);
	free_percpu(vs->xstats);
	kfree(vs);
}

/* The socket the device is attached to, if any. */
struct ovl_sock *ovl_sock_of(const struct ovl_dev *ovl)
{
	return rtnl_dereference(ovl->sock4) ?: rtnl_dereference(ovl->sock6);
}

/* Find or create the socket for @key and take a reference. */
static struct ovl_sock *ovl_sock_get(struct ovl_dev *ovl,
				     const struct ovl_sock_key *key,
				     struct netlink_ext_ack *extack)
{
	struct ovl_net *on = net_generic(ovl->net, ovl_net_id);
	struct ovl_sock *vs;

	list_for_each_entry(vs, &on->socks, list) {
		if (vs->key.family != key->family || vs->key.port != key->port)
			continue;
		/* The checksum policy is the socket's: devices sharing it
		 * can not differ.  A socket that is this device's alone
		 * changes its policy when the device moves.
		 */
		if (vs->key.zero_csum6_rx != key->zero_csum6_rx &&
		    (vs != ovl_sock_of(ovl) ||
		     refcount_read(&vs->refcnt) != 1)) {
			NL_SET_ERR_MSG(extack,
				       "The UDP port is open for other ovl devices with the other udp6zerocsumrx");
			if (!extack)
				netdev_err(ovl->dev, "port %u is open with udp6zerocsumrx %s\n",
					   ntohs(vs->key.port),
					   vs->key.zero_csum6_rx ? "on" : "off");
			return ERR_PTR(-EBUSY);
		}
		refcount_inc(&vs->refcnt);
		return vs;
	}
	vs = ovl_sock_create(ovl->net, key);
	if (IS_ERR(vs))
		NL_SET_ERR_MSG(extack, "Could not open the UDP port");
	return vs;
}

/* Putting an open device on the socket and VNI slot of a configuration
 * takes two steps, so that changelink can try the FDB in between with
 * nothing to roll back: ovl_sock_prepare() takes the new socket and may
 * fail, changing nothing; then ovl_sock_commit() moves the device and
 * lets the old socket go, or ovl_sock_abort() lets the new one go.
 * Opening a device is the same move from no socket.  Under RTNL.
 */
int ovl_sock_prepare(struct ovl_dev *ovl, const struct ovl_config *cfg,
		     struct ovl_sock_move *move, struct netlink_ext_ack *extack)
{
	struct ovl_dev *other;
	struct ovl_sock *vs;

	ASSERT_RTNL();
	ovl_rx_key_init(&move->key, cfg);
	if (move->key.sock.family == AF_INET6 && !IS_ENABLED(CONFIG_IPV6)) {
		NL_SET_ERR_MSG(extack, "IPv6 underlay, but the kernel has no IPv6");
		return -EPFNOSUPPORT;
	}

	vs = ovl_sock_get(ovl, &move->key.sock, extack);
	if (IS_ERR(vs))
		return PTR_ERR(vs);

	/* Two devices with one VNI on one socket could not be told apart. */
	other = ovl_sock_find_vni(vs, move->key.vni);
	if (other && other != ovl) {
		ovl_sock_put(vs);
		NL_SET_ERR_MSG(extack, "The VNI is in use on the UDP port");
		return -EADDRINUSE;
	}
	move->vs = vs;
	return 0;
}

void ovl_sock_abort(struct ovl_sock_move *move)
{
	ovl_sock_put(move->vs);
}

void ovl_sock_commit(struct ovl_dev *ovl, struct ovl_sock_move *move)
{
	const struct ovl_rx_key *key = &move->key;
	struct ovl_sock *vs = move->vs;

	/* The move's reference keeps vs open if it is the old socket. */
	ovl_sock_detach(ovl);
	if (vs->key.zero_csum6_rx != key->sock.zero_csum6_rx) {
		/* Ours alone (ovl_sock_get()): what reopening would do. */
		udp_set_no_check6_rx(vs->sock->sk, key->sock.zero_csum6_rx);
		vs->key.zero_csum6_rx = key->sock.zero_csum6_rx;
	}

	/* Byte for byte, padding too: ovl_sock_moves() compares it so. */
	memcpy(&ovl->rx_key, key, sizeof(*key));
	if (key->sock.family == AF_INET6)
		rcu_assign_pointer(ovl->sock6, vs);
	else
		rcu_assign_pointer(ovl->sock4, vs);
	hlist_add_head_rcu(&ovl->vni_node, ovl_vni_head(vs, key->vni));
}

/* Open: put the device on the socket and VNI slot @cfg gives it. */
int ovl_sock_attach(struct ovl_dev *ovl, const struct ovl_config *cfg)
{
	struct ovl_sock_move move;
	int err;

	err = ovl_sock_prepare(ovl, cfg, &move, NULL);
	if (err)
		return err;
	ovl_sock_commit(ovl, &move);
	return 0;
}

void ovl_sock_detach(struct ovl_dev *ovl)
{
	struct ovl_sock *vs4 = rtnl_dereference(ovl->sock4);
	struct ovl_sock *vs6 = rtnl_dereference(ovl->sock6);

	ASSERT_RTNL();
	if (!vs4 && !vs6)
		return;

	hlist_del_init_rcu(&ovl->vni_node);
	RCU_INIT_POINTER(ovl->sock4, NULL);
	RCU_INIT_POINTER(ovl->sock6, NULL);
	/* Senders and receivers that still see the socket must finish. */
	synchronize_net();
	ovl_sock_put(vs4);
	ovl_sock_put(vs6);
}
