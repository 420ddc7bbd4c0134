// SPDX-License-Identifier: GPL-2.0
/*
 * ovl: the net_device: setup, open/stop, statistics and the FDB hooks.
 */

#include <linux/ethtool.h>
#include <linux/module.h>
#include <net/rtnetlink.h>

#include "ovl.h"

static int ovl_init(struct net_device *dev)
{
	struct ovl_dev *ovl = netdev_priv(dev);
	int err;

	err = ovl_compat_alloc_tstats(dev);
	if (err)
		return err;

	ovl->xstats = netdev_alloc_pcpu_stats(struct ovl_xstats);
	if (!ovl->xstats) {
		err = -ENOMEM;
		goto err_tstats;
	}

	err = ovl_fdb_init(ovl);
	if (err)
		goto err_xstats;

	err = gro_cells_init(&ovl->gro_cells, dev);
	if (err)
		goto err_fdb;
	return 0;

err_fdb:
	ovl_fdb_destroy(ovl);
err_xstats:
	free_percpu(ovl->xstats);
err_tstats:
	ovl_compat_free_tstats(dev);
	return err;
}

static void ovl_uninit(struct net_device *dev)
{
	struct ovl_dev *ovl = netdev_priv(dev);

	gro_cells_destroy(&ovl->gro_cells);
	ovl_fdb_destroy(ovl);
	free_percpu(ovl->xstats);
	ovl_compat_free_tstats(dev);
	ovl_config_free(ovl);
}

static int ovl_open(struct net_device *dev)
{
	struct ovl_dev *ovl = netdev_priv(dev);
	const struct ovl_config *cfg = ovl_cfg(ovl);
	unsigned long ageing;
	int err;

	/* Without a VNI there is nothing to send or receive on. */
	if (!cfg->vni_set) {
		netdev_warn(dev, "no VNI configured: set one with 'ip link set %s type ovl id N'\n",
			    dev->name);
		return -EDESTADDRREQ;
	}

	err = ovl_sock_attach(ovl, cfg);
	if (err)
		return err;
	err = ovl_mc_start(ovl, ovl_sock_of(ovl), cfg, NULL);
	if (err) {
		ovl_sock_detach(ovl);
		return err;
	}

	ageing = cfg->ageing ? cfg->ageing * HZ : OVL_AGE_INTERVAL;
	mod_delayed_work(system_power_efficient_wq, &ovl->age_work,
			 min_t(unsigned long, OVL_AGE_INTERVAL, ageing));
	return 0;
}

static int ovl_stop(struct net_device *dev)
{
	struct ovl_dev *ovl = netdev_priv(dev);

	cancel_delayed_work_sync(&ovl->age_work);
	ovl_mc_stop(ovl, ovl_sock_of(ovl), ovl_cfg(ovl));
	ovl_sock_detach(ovl);
	/* As vxlan: learned entries do not survive the device going down. */
	ovl_fdb_flush(ovl, false);
	return 0;
}

static int ovl_change_mtu(struct net_device *dev, int new_mtu)
{
	/* The core checked min_mtu/max_mtu, which track the underlay. */
	dev->mtu = new_mtu;
	return 0;
}

static int ovl_ndo_fdb_add(struct ndmsg *ndm, struct nlattr *tb[],
			   struct net_device *dev, const unsigned char *addr,
			   u16 vid, u16 flags, bool *notified,
			   struct netlink_ext_ack *extack)
{
	int err = ovl_fdb_add(ndm, tb, dev, addr, vid, flags, extack);

	/* ovl_fdb_add() sends its own notifications. */
	if (!err)
		*notified = true;
	return err;
}

OVL_FDB_ADD_COMPAT(ovl_ndo_fdb_add)

static int ovl_ndo_fdb_del(struct ndmsg *ndm, struct nlattr *tb[],
			   struct net_device *dev, const unsigned char *addr,
			   u16 vid, bool *notified,
			   struct netlink_ext_ack *extack)
{
	int err = ovl_fdb_del(ndm, tb, dev, addr, vid, extack);

	if (!err)
		*notified = true;
	return err;
}

OVL_FDB_DEL_COMPAT(ovl_ndo_fdb_del)

static const struct net_device_ops ovl_netdev_ops = {
	.ndo_init		= ovl_init,
	.ndo_uninit		= ovl_uninit,
	.ndo_open		= ovl_open,
	.ndo_stop		= ovl_stop,
	.ndo_start_xmit		= ovl_xmit,
	.ndo_get_stats64	= dev_get_tstats64,
	.ndo_set_mac_address	= eth_mac_addr,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_change_mtu		= ovl_change_mtu,
	.ndo_fdb_add		= OVL_FDB_ADD_OP(ovl_ndo_fdb_add),
	.ndo_fdb_del		= OVL_FDB_DEL_OP(ovl_ndo_fdb_del),
	.ndo_fdb_dump		= ovl_fdb_dump,
};

static void ovl_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *info)
{
	strscpy(info->driver, OVL_KIND, sizeof(info->driver));
}

static const struct ethtool_ops ovl_ethtool_ops = {
	.get_drvinfo	= ovl_get_drvinfo,
	.get_link	= ethtool_op_get_link,
};

static const struct device_type ovl_type = {
	.name = OVL_KIND,
};

void ovl_setup(struct net_device *dev)
{
	struct ovl_dev *ovl = netdev_priv(dev);

	ether_setup(dev);
	eth_hw_addr_random(dev);

	dev->needs_free_netdev = true;
	SET_NETDEV_DEVTYPE(dev, &ovl_type);
	dev->netdev_ops = &ovl_netdev_ops;
	dev->ethtool_ops = &ovl_ethtool_ops;

	/* The same offloads as vxlan: GSO is done by the UDP tunnel layer. */
	ovl_compat_set_lltx(dev);
	dev->features |= NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM |
			 NETIF_F_GSO_SOFTWARE;
	dev->vlan_features = dev->features;
	dev->hw_features |= NETIF_F_SG | NETIF_F_HW_CSUM | NETIF_F_RXCSUM |
			    NETIF_F_GSO_SOFTWARE;
	netif_keep_dst(dev);
	dev->priv_flags |= IFF_NO_QUEUE | IFF_LIVE_ADDR_CHANGE;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;
	dev->mtu = OVL_DEFAULT_MTU;

	ovl->dev = dev;
	INIT_LIST_HEAD(&ovl->list);
	INIT_HLIST_NODE(&ovl->vni_node);
	INIT_DELAYED_WORK(&ovl->age_work, ovl_fdb_age_work);
}
