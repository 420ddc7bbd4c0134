// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "../../include/uapi/linux/ovl.h"
#include "rtnl.h"

static struct mnl_socket *nl, *mon;
static unsigned int portid;
static uint32_t seq;
static char sendbuf[8192];
static char recvbuf[1 << 16];
static char errbuf[320];

const char *rtnl_error(void)
{
	return errbuf;
}

void rtnl_list_free(struct rtnl_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* A new zeroed slot at the end of l; NULL when out of memory. */
static void *list_add(struct rtnl_list *l)
{
	if (l->n == l->cap) {
		int cap = l->cap ? 2 * l->cap : 32;
		void *v = realloc(l->v, cap * l->size);

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	return memset((char *)l->v + l->size * l->n++, 0, l->size);
}

int rtnl_open(void)
{
	int one = 1;

	if (nl)
		return 0;
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		goto fail;
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	portid = mnl_socket_get_portid(nl);
	seq = (uint32_t)time(NULL);
	return 0;
fail:
	snprintf(errbuf, sizeof(errbuf), "netlink socket: %s", strerror(errno));
	if (nl)
		mnl_socket_close(nl);
	nl = NULL;
	return -errno;
}

static struct nlmsghdr *msg(uint16_t type, uint16_t flags, size_t hdrlen)
{
	struct nlmsghdr *nlh;

	memset(sendbuf, 0, sizeof(sendbuf));
	nlh = mnl_nlmsg_put_header(sendbuf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++seq;
	mnl_nlmsg_put_extra_header(nlh, hdrlen);
	return nlh;
}

static int error_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off = sizeof(*e);

	(void)data;
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;
	snprintf(errbuf, sizeof(errbuf), "%s", strerror(-e->error));
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		mnl_attr_for_each(attr, nlh, off) {
			if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0)
				snprintf(errbuf, sizeof(errbuf), "%s (%s)",
					 mnl_attr_get_str(attr), strerror(-e->error));
		}
	}
	errno = -e->error;
	return MNL_CB_ERROR;
}

static int noop_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static int done_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_STOP;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP] = noop_cb,
	[NLMSG_ERROR] = error_cb,
	[NLMSG_DONE] = done_cb,
	[NLMSG_OVERRUN] = noop_cb,
};

/*
 * Send nlh, run cb on the replies until the ack or NLMSG_DONE.  A dump is
 * told by its type and flags together: NLM_F_DUMP's bits are also
 * NLM_F_REPLACE and NLM_F_EXCL, which a request to change may carry.
 */
static int exchange(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	bool get = (nlh->nlmsg_type & 3) == (RTM_GETLINK & 3);
	ssize_t n;
	int ret;

	if (!nl && rtnl_open())
		return -EIO;
	if (!get || (nlh->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		nlh->nlmsg_flags |= NLM_F_ACK;
	errbuf[0] = '\0';
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		goto fail;
	do {
		n = mnl_socket_recvfrom(nl, recvbuf, sizeof(recvbuf));
		if (n < 0)
			goto fail;
		errno = 0;
		ret = mnl_cb_run2(recvbuf, n, nlh->nlmsg_seq, portid, cb, data,
				  ctl_cbs, MNL_ARRAY_SIZE(ctl_cbs));
	} while (ret > MNL_CB_STOP);
	if (ret < 0) {
		if (!errno)
			errno = EIO;
		if (!errbuf[0])
			snprintf(errbuf, sizeof(errbuf), "%s", strerror(errno));
		return -errno;
	}
	return 0;
fail:
	snprintf(errbuf, sizeof(errbuf), "netlink: %s", strerror(errno));
	return -errno;
}

static void put_addr(struct nlmsghdr *nlh, uint16_t type, const struct ipaddr *a)
{
	mnl_attr_put(nlh, type, addr_len(a->family), a->b);
}

/* --- links ---------------------------------------------------------- */

static int tunnel_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type <= IFLA_OVL_MAX)
		tb[type] = a;
	return MNL_CB_OK;
}

static void parse_linkinfo(const struct nlattr *info, struct link *l)
{
	const struct nlattr *tb[IFLA_OVL_MAX + 1] = { 0 };
	const struct nlattr *a, *data = NULL;

	mnl_attr_for_each_nested(a, info) {
		if (mnl_attr_get_type(a) == IFLA_INFO_KIND &&
		    mnl_attr_validate(a, MNL_TYPE_STRING) == 0)
			snprintf(l->kind, sizeof(l->kind), "%.*s",
				 (int)mnl_attr_get_payload_len(a),
				 (const char *)mnl_attr_get_payload(a));
		else if (mnl_attr_get_type(a) == IFLA_INFO_DATA)
			data = a;
	}
	if (!data || (strcmp(l->kind, "ovl") && strcmp(l->kind, "vxlan")))
		return;
	mnl_attr_parse_nested(data, tunnel_attr_cb, tb);
	if (tb[IFLA_OVL_ID] && mnl_attr_get_payload_len(tb[IFLA_OVL_ID]) >= 4) {
		l->has_vni = true;
		l->vni = mnl_attr_get_u32(tb[IFLA_OVL_ID]);
	}
	if (tb[IFLA_OVL_PORT] && mnl_attr_get_payload_len(tb[IFLA_OVL_PORT]) >= 2)
		l->port = ntohs(mnl_attr_get_u16(tb[IFLA_OVL_PORT]));
	if (tb[IFLA_OVL_LOCAL] && mnl_attr_get_payload_len(tb[IFLA_OVL_LOCAL]) >= 4)
		addr_from_bytes(&l->local, AF_INET, mnl_attr_get_payload(tb[IFLA_OVL_LOCAL]));
	else if (tb[IFLA_OVL_LOCAL6] && mnl_attr_get_payload_len(tb[IFLA_OVL_LOCAL6]) >= 16)
		addr_from_bytes(&l->local, AF_INET6, mnl_attr_get_payload(tb[IFLA_OVL_LOCAL6]));
	if (tb[IFLA_OVL_LINK] && mnl_attr_get_payload_len(tb[IFLA_OVL_LINK]) >= 4)
		l->link = (int)mnl_attr_get_u32(tb[IFLA_OVL_LINK]);
	if (tb[IFLA_OVL_LEARNING] && mnl_attr_get_payload_len(tb[IFLA_OVL_LEARNING]) >= 1)
		l->learning = mnl_attr_get_u8(tb[IFLA_OVL_LEARNING]);
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct link *l = data;
	const struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	memset(l, 0, sizeof(*l));
	l->ifindex = ifm->ifi_index;
	l->flags = ifm->ifi_flags;
	mnl_attr_for_each(a, nlh, sizeof(*ifm)) {
		switch (mnl_attr_get_type(a)) {
		case IFLA_IFNAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(a));
			break;
		case IFLA_ADDRESS:
			if (mnl_attr_get_payload_len(a) == 6)
				memcpy(l->mac, mnl_attr_get_payload(a), 6);
			break;
		case IFLA_MTU:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				l->mtu = mnl_attr_get_u32(a);
			break;
		case IFLA_LINKINFO:
			parse_linkinfo(a, l);
			break;
		}
	}
	return MNL_CB_OK;
}

static int link_get(int ifindex, const char *name, struct link *l)
{
	struct nlmsghdr *nlh = msg(RTM_GETLINK, 0, sizeof(struct ifinfomsg));
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	int r;

	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	if (name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	memset(l, 0, sizeof(*l));
	r = exchange(nlh, link_cb, l);
	if (!r && !l->ifindex)
		r = -ENODEV;
	return r;
}

int rtnl_link_get(const char *name, struct link *l)
{
	return link_get(0, name, l);
}

int rtnl_link_get_index(int ifindex, struct link *l)
{
	return link_get(ifindex, NULL, l);
}

static void put_vtep(struct nlmsghdr *nlh, const struct vtep_spec *s)
{
	struct nlattr *info, *data;

	if (s->mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, s->mac);
	if (s->mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, s->mtu);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, s->kind);
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_OVL_ID, s->vni);
	mnl_attr_put_u16(nlh, IFLA_OVL_PORT, htons(s->port));
	if (s->local.family == AF_INET)
		put_addr(nlh, IFLA_OVL_LOCAL, &s->local);
	else if (s->local.family == AF_INET6)
		put_addr(nlh, IFLA_OVL_LOCAL6, &s->local);
	if (s->link)
		mnl_attr_put_u32(nlh, IFLA_OVL_LINK, (uint32_t)s->link);
	mnl_attr_put_u8(nlh, IFLA_OVL_LEARNING, s->learning);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
}

int rtnl_vtep_create(const struct vtep_spec *s)
{
	struct nlmsghdr *nlh = msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL,
				   sizeof(struct ifinfomsg));

	mnl_attr_put_strz(nlh, IFLA_IFNAME, s->name);
	put_vtep(nlh, s);
	return exchange(nlh, NULL, NULL);
}

int rtnl_vtep_change(int ifindex, const struct vtep_spec *s)
{
	struct nlmsghdr *nlh = msg(RTM_NEWLINK, 0, sizeof(struct ifinfomsg));
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	ifm->ifi_index = ifindex;
	put_vtep(nlh, s);
	return exchange(nlh, NULL, NULL);
}

int rtnl_link_del(int ifindex)
{
	struct nlmsghdr *nlh = msg(RTM_DELLINK, 0, sizeof(struct ifinfomsg));
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	ifm->ifi_index = ifindex;
	return exchange(nlh, NULL, NULL);
}

int rtnl_link_set_up(int ifindex)
{
	struct nlmsghdr *nlh = msg(RTM_NEWLINK, 0, sizeof(struct ifinfomsg));
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	ifm->ifi_index = ifindex;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	return exchange(nlh, NULL, NULL);
}

/* --- addresses ------------------------------------------------------ */

struct addr_dump {
	int ifindex, family;
	struct rtnl_list *out;
	int err;
};

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_dump *d = data;
	const struct nlattr *a, *local = NULL, *address = NULL;
	struct ipnet *n;

	if (nlh->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != d->family ||
	    (d->ifindex && (int)ifa->ifa_index != d->ifindex) ||
	    ifa->ifa_scope != RT_SCOPE_UNIVERSE)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ifa)) {
		if (mnl_attr_get_payload_len(a) != addr_len(d->family))
			continue;
		if (mnl_attr_get_type(a) == IFA_LOCAL)
			local = a;
		else if (mnl_attr_get_type(a) == IFA_ADDRESS)
			address = a;
	}
	if (local)
		address = local;
	if (!address)
		return MNL_CB_OK;
	n = list_add(d->out);
	if (!n) {
		d->err = -ENOMEM;
		return MNL_CB_OK;
	}
	addr_from_bytes(&n->ip, d->family, mnl_attr_get_payload(address));
	n->plen = ifa->ifa_prefixlen;
	return MNL_CB_OK;
}

int rtnl_addr_list(int ifindex, int family, struct rtnl_list *out)
{
	struct nlmsghdr *nlh = msg(RTM_GETADDR, NLM_F_DUMP, sizeof(struct ifaddrmsg));
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_dump d = { ifindex, family, out, 0 };
	int r;

	ifa->ifa_family = (uint8_t)family;
	r = exchange(nlh, addr_cb, &d);
	return r ? r : d.err;
}

static int addr_op(uint16_t type, uint16_t flags, int ifindex, const struct ipnet *a)
{
	struct nlmsghdr *nlh = msg(type, flags, sizeof(struct ifaddrmsg));
	struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

	ifa->ifa_family = (uint8_t)a->ip.family;
	ifa->ifa_prefixlen = (uint8_t)a->plen;
	ifa->ifa_index = (uint32_t)ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	if (a->ip.family == AF_INET)
		put_addr(nlh, IFA_LOCAL, &a->ip);
	put_addr(nlh, IFA_ADDRESS, &a->ip);
	return exchange(nlh, NULL, NULL);
}

int rtnl_addr_add(int ifindex, const struct ipnet *a)
{
	return addr_op(RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE, ifindex, a);
}

int rtnl_addr_del(int ifindex, const struct ipnet *a)
{
	return addr_op(RTM_DELADDR, 0, ifindex, a);
}

/* --- neighbours and FDB entries ------------------------------------- */

struct neigh_dump {
	int ifindex, family;
	struct rtnl_list *out;
	int err;
};

static int neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	struct neigh_dump *d = data;
	const struct nlattr *a, *dst = NULL, *ll = NULL;

	if (nlh->nlmsg_type != RTM_NEWNEIGH || ndm->ndm_family != d->family ||
	    ndm->ndm_ifindex != d->ifindex)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ndm)) {
		if (mnl_attr_get_type(a) == NDA_DST)
			dst = a;
		else if (mnl_attr_get_type(a) == NDA_LLADDR)
			ll = a;
	}
	if (d->family == AF_BRIDGE) {
		struct fdb *f;

		if (!ll || mnl_attr_get_payload_len(ll) != 6)
			return MNL_CB_OK;
		f = list_add(d->out);
		if (!f) {
			d->err = -ENOMEM;
			return MNL_CB_OK;
		}
		memcpy(f->mac, mnl_attr_get_payload(ll), 6);
		if (dst && mnl_attr_get_payload_len(dst) == 4)
			addr_from_bytes(&f->dst, AF_INET, mnl_attr_get_payload(dst));
		else if (dst && mnl_attr_get_payload_len(dst) == 16)
			addr_from_bytes(&f->dst, AF_INET6, mnl_attr_get_payload(dst));
		f->state = ndm->ndm_state;
		f->flags = ndm->ndm_flags;
	} else {
		struct neigh *n;

		if (!dst || mnl_attr_get_payload_len(dst) != addr_len(d->family))
			return MNL_CB_OK;
		n = list_add(d->out);
		if (!n) {
			d->err = -ENOMEM;
			return MNL_CB_OK;
		}
		addr_from_bytes(&n->ip, d->family, mnl_attr_get_payload(dst));
		if (ll && mnl_attr_get_payload_len(ll) == 6)
			memcpy(n->mac, mnl_attr_get_payload(ll), 6);
		n->state = ndm->ndm_state;
	}
	return MNL_CB_OK;
}

static int neigh_dump(int ifindex, int family, struct rtnl_list *out)
{
	struct nlmsghdr *nlh = msg(RTM_GETNEIGH, NLM_F_DUMP, sizeof(struct ndmsg));
	struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	struct neigh_dump d = { ifindex, family, out, 0 };
	int r;

	ndm->ndm_family = (uint8_t)family;
	/* The kernel filters neighbour dumps by NDA_IFINDEX; FDB dumps we filter. */
	if (family != AF_BRIDGE)
		mnl_attr_put_u32(nlh, NDA_IFINDEX, (uint32_t)ifindex);
	r = exchange(nlh, neigh_cb, &d);
	return r ? r : d.err;
}

int rtnl_neigh_list(int ifindex, int family, struct rtnl_list *out)
{
	return neigh_dump(ifindex, family, out);
}

int rtnl_fdb_list(int ifindex, struct rtnl_list *out)
{
	return neigh_dump(ifindex, AF_BRIDGE, out);
}

int rtnl_neigh_replace(int ifindex, const struct ipaddr *ip, const uint8_t mac[6])
{
	struct nlmsghdr *nlh = msg(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE,
				   sizeof(struct ndmsg));
	struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);

	ndm->ndm_family = (uint8_t)ip->family;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = NUD_PERMANENT;
	ndm->ndm_type = RTN_UNICAST;
	put_addr(nlh, NDA_DST, ip);
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	return exchange(nlh, NULL, NULL);
}

int rtnl_neigh_del(int ifindex, const struct ipaddr *ip)
{
	struct nlmsghdr *nlh = msg(RTM_DELNEIGH, 0, sizeof(struct ndmsg));
	struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);

	ndm->ndm_family = (uint8_t)ip->family;
	ndm->ndm_ifindex = ifindex;
	put_addr(nlh, NDA_DST, ip);
	return exchange(nlh, NULL, NULL);
}

static int fdb_op(uint16_t type, uint16_t flags, int ifindex,
		  const uint8_t mac[6], const struct ipaddr *dst)
{
	struct nlmsghdr *nlh = msg(type, flags, sizeof(struct ndmsg));
	struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);

	ndm->ndm_family = AF_BRIDGE;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = NUD_PERMANENT;
	ndm->ndm_flags = NTF_SELF;
	mnl_attr_put(nlh, NDA_LLADDR, 6, mac);
	if (dst && dst->family)
		put_addr(nlh, NDA_DST, dst);
	return exchange(nlh, NULL, NULL);
}

int rtnl_fdb_replace(int ifindex, const uint8_t mac[6], const struct ipaddr *dst)
{
	return fdb_op(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE, ifindex, mac, dst);
}

int rtnl_fdb_del(int ifindex, const uint8_t mac[6], const struct ipaddr *dst)
{
	return fdb_op(RTM_DELNEIGH, 0, ifindex, mac, dst);
}

/* --- routes --------------------------------------------------------- */

struct route_dump {
	int family;
	struct rtnl_list *out;	/* NULL: fill one */
	struct route *one;
	int err;
};

static void parse_route(const struct nlmsghdr *nlh, struct route *r)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	size_t alen = addr_len(rtm->rtm_family);
	const struct nlattr *a;

	memset(r, 0, sizeof(*r));
	r->dst.ip.family = rtm->rtm_family;
	r->dst.plen = rtm->rtm_dst_len;
	r->protocol = rtm->rtm_protocol;
	r->type = rtm->rtm_type;
	r->table = rtm->rtm_table;
	r->onlink = rtm->rtm_flags & RTNH_F_ONLINK;
	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		switch (mnl_attr_get_type(a)) {
		case RTA_DST:
			if (mnl_attr_get_payload_len(a) == alen)
				addr_from_bytes(&r->dst.ip, rtm->rtm_family, mnl_attr_get_payload(a));
			break;
		case RTA_GATEWAY:
			if (mnl_attr_get_payload_len(a) == alen)
				addr_from_bytes(&r->gw, rtm->rtm_family, mnl_attr_get_payload(a));
			break;
		case RTA_PREFSRC:
			if (mnl_attr_get_payload_len(a) == alen)
				addr_from_bytes(&r->prefsrc, rtm->rtm_family, mnl_attr_get_payload(a));
			break;
		case RTA_OIF:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				r->oif = (int)mnl_attr_get_u32(a);
			break;
		case RTA_TABLE:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				r->table = mnl_attr_get_u32(a);
			break;
		}
	}
}

static int route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct route_dump *d = data;
	struct route r, *slot;

	if (nlh->nlmsg_type != RTM_NEWROUTE || rtm->rtm_family != d->family)
		return MNL_CB_OK;
	parse_route(nlh, &r);
	if (d->one) {
		*d->one = r;
		return MNL_CB_OK;
	}
	if (r.table != RT_TABLE_MAIN || r.type != RTN_UNICAST)
		return MNL_CB_OK;
	slot = list_add(d->out);
	if (!slot)
		d->err = -ENOMEM;
	else
		*slot = r;
	return MNL_CB_OK;
}

int rtnl_route_list(int family, struct rtnl_list *out)
{
	struct nlmsghdr *nlh = msg(RTM_GETROUTE, NLM_F_DUMP, sizeof(struct rtmsg));
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct route_dump d = { family, out, NULL, 0 };
	int r;

	rtm->rtm_family = (uint8_t)family;
	r = exchange(nlh, route_cb, &d);
	return r ? r : d.err;
}

static int route_op(uint16_t type, uint16_t flags, const struct route *r)
{
	struct nlmsghdr *nlh = msg(type, flags, sizeof(struct rtmsg));
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);

	rtm->rtm_family = (uint8_t)r->dst.ip.family;
	rtm->rtm_dst_len = (uint8_t)r->dst.plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	/* What ip(8) and flanneld's netlink library use. */
	rtm->rtm_protocol = type == RTM_NEWROUTE ? RTPROT_BOOT : 0;
	rtm->rtm_scope = type == RTM_NEWROUTE ? RT_SCOPE_UNIVERSE : RT_SCOPE_NOWHERE;
	rtm->rtm_type = RTN_UNICAST;
	if (r->onlink)
		rtm->rtm_flags |= RTNH_F_ONLINK;
	put_addr(nlh, RTA_DST, &r->dst.ip);
	if (r->gw.family)
		put_addr(nlh, RTA_GATEWAY, &r->gw);
	if (r->oif)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)r->oif);
	return exchange(nlh, NULL, NULL);
}

int rtnl_route_replace(const struct route *r)
{
	return route_op(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, r);
}

int rtnl_route_del(const struct route *r)
{
	return route_op(RTM_DELROUTE, 0, r);
}

int rtnl_route_get(const struct ipaddr *dst, struct route *out)
{
	struct nlmsghdr *nlh = msg(RTM_GETROUTE, 0, sizeof(struct rtmsg));
	struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	struct route_dump d = { dst->family, NULL, out, 0 };

	rtm->rtm_family = (uint8_t)dst->family;
	rtm->rtm_dst_len = (uint8_t)addr_bits(dst->family);
	put_addr(nlh, RTA_DST, dst);
	memset(out, 0, sizeof(*out));
	return exchange(nlh, route_cb, &d);
}

/* --- the monitor ---------------------------------------------------- */

int rtnl_monitor_open(void)
{
	int fd, size = 1 << 20;

	mon = mnl_socket_open(NETLINK_ROUTE);
	if (!mon)
		goto fail;
	if (mnl_socket_bind(mon, RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR,
			    MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	fd = mnl_socket_get_fd(mon);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
fail:
	snprintf(errbuf, sizeof(errbuf), "netlink monitor: %s", strerror(errno));
	if (mon)
		mnl_socket_close(mon);
	mon = NULL;
	return -1;
}

struct mon_ctx {
	void (*cb)(const struct rtnl_event *ev, void *arg);
	void *arg;
};

static int mon_cb(const struct nlmsghdr *nlh, void *data)
{
	struct mon_ctx *c = data;
	struct rtnl_event ev = { 0 };

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK: {
		const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

		ev.type = nlh->nlmsg_type == RTM_DELLINK ? EV_LINK_GONE : EV_LINK;
		ev.ifindex = ifm->ifi_index;
		ev.flags = ifm->ifi_flags;
		break;
	}
	case RTM_NEWADDR:
	case RTM_DELADDR: {
		const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);

		ev.type = EV_ADDR;
		ev.ifindex = (int)ifa->ifa_index;
		break;
	}
	default:
		return MNL_CB_OK;
	}
	c->cb(&ev, c->arg);
	return MNL_CB_OK;
}

int rtnl_monitor_read(void (*cb)(const struct rtnl_event *ev, void *arg), void *arg)
{
	struct mon_ctx c = { cb, arg };
	struct rtnl_event overrun = { .type = EV_OVERRUN };

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(mon, recvbuf, sizeof(recvbuf));

		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			if (errno == ENOBUFS) {
				/* Events were lost: the caller re-reads everything. */
				cb(&overrun, arg);
				continue;
			}
			snprintf(errbuf, sizeof(errbuf), "netlink monitor: %s", strerror(errno));
			return -errno;
		}
		mnl_cb_run(recvbuf, n, 0, 0, mon_cb, &c);
	}
}
