/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the agent asks of rtnetlink, through libmnl: the VTEP device, its
 * addresses, the neighbour (ARP/ND), FDB and route entries flanneld
 * programs per peer, the dumps that reconciliation compares against, and
 * a monitor socket for link and address changes.  Every call returns 0
 * or -errno; rtnl_error() then says why, in the kernel's words when it
 * sent an extended ack.
 */
#ifndef OVL_AGENT_RTNL_H
#define OVL_AGENT_RTNL_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#include "addr.h"

struct link {
	int ifindex;
	char name[IF_NAMESIZE];
	char kind[16];			/* "" for a device without one */
	uint8_t mac[6];
	unsigned int mtu, flags;	/* IFF_* */
	/* vxlan/ovl attributes (same numbers) when kind is one of those */
	bool has_vni;
	uint32_t vni;
	uint16_t port;			/* host order; 0 = not reported */
	struct ipaddr local;
	int link;			/* underlay ifindex; 0 = none */
	bool learning;
};

struct vtep_spec {
	const char *name, *kind;
	uint32_t vni;
	uint16_t port;
	struct ipaddr local;
	int link;
	bool learning;
	unsigned int mtu;
	const uint8_t *mac;		/* NULL: let the kernel choose */
};

struct neigh {
	struct ipaddr ip;
	uint8_t mac[6];
	uint16_t state;			/* NUD_* */
};

struct fdb {
	uint8_t mac[6];
	struct ipaddr dst;		/* family 0: no remote (a local entry) */
	uint16_t state;
	uint8_t flags;			/* NTF_* */
};

struct route {
	struct ipnet dst;
	struct ipaddr gw;		/* family 0: none */
	struct ipaddr prefsrc;		/* family 0: none */
	int oif;
	bool onlink;
	uint8_t protocol, type;
	uint32_t table;
};

/* A growable array of one of the above, filled by the dumps. */
struct rtnl_list {
	void *v;
	int n, cap;
	size_t size;
};
#define RTNL_LIST(type) { NULL, 0, 0, sizeof(type) }
void rtnl_list_free(struct rtnl_list *l);

int rtnl_open(void);
const char *rtnl_error(void);

int rtnl_link_get(const char *name, struct link *l);	/* -ENODEV if none */
int rtnl_link_get_index(int ifindex, struct link *l);
int rtnl_vtep_create(const struct vtep_spec *s);
int rtnl_vtep_change(int ifindex, const struct vtep_spec *s);
int rtnl_link_del(int ifindex);
int rtnl_link_set_up(int ifindex);

/* Addresses of one family on a link (struct ipnet). */
int rtnl_addr_list(int ifindex, int family, struct rtnl_list *out);
int rtnl_addr_add(int ifindex, const struct ipnet *a);
int rtnl_addr_del(int ifindex, const struct ipnet *a);

int rtnl_neigh_list(int ifindex, int family, struct rtnl_list *out);
int rtnl_neigh_replace(int ifindex, const struct ipaddr *ip, const uint8_t mac[6]);
int rtnl_neigh_del(int ifindex, const struct ipaddr *ip);

int rtnl_fdb_list(int ifindex, struct rtnl_list *out);
int rtnl_fdb_replace(int ifindex, const uint8_t mac[6], const struct ipaddr *dst);
int rtnl_fdb_del(int ifindex, const uint8_t mac[6], const struct ipaddr *dst);

/* Unicast routes of the main table (struct route). */
int rtnl_route_list(int family, struct rtnl_list *out);
int rtnl_route_replace(const struct route *r);
int rtnl_route_del(const struct route *r);
/* The route the kernel would use to reach dst. */
int rtnl_route_get(const struct ipaddr *dst, struct route *r);

/* The monitor: link and address changes. */
enum rtnl_event_type { EV_LINK, EV_LINK_GONE, EV_ADDR, EV_OVERRUN };
struct rtnl_event {
	enum rtnl_event_type type;
	int ifindex;
	unsigned int flags;		/* EV_LINK: IFF_* */
};
int rtnl_monitor_open(void);		/* the fd to poll */
/* Read what is queued (non-blocking); cb sees each event. */
int rtnl_monitor_read(void (*cb)(const struct rtnl_event *ev, void *arg), void *arg);

#endif
