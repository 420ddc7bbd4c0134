// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: netlink I/O with extended acks, and snapshots of the state a
 * rejected request must leave alone: the device's link attributes
 * (RTM_GETLINK) and its FDB (RTM_GETNEIGH AF_BRIDGE dump).  Fields that
 * change by themselves are left out: counters, FDB timers (cacheinfo) and
 * the FDB size attributes (the FDB is compared entry by entry instead).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/ovl.h>

#include "nlfuzz.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

static unsigned int seq;

struct mnl_socket *nl_open(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	int one = 1;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return NULL;
	/* Error messages, and acks without a copy of the request. */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	return nl;
}

static void parse_ack(const struct nlmsghdr *nlh, struct nl_reply *r)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);
	const struct nlattr *attr;

	r->err = e->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	/* Without CAP_ACK the request follows the header: skip it. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	mnl_attr_for_each_payload((void *)((const char *)e + off),
				  mnl_nlmsg_get_payload_len(nlh) - off) {
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_get_payload_len(attr) > 1) {
			r->has_msg = 1;
			snprintf(r->msg, sizeof(r->msg), "%.*s",
				 (int)mnl_attr_get_payload_len(attr),
				 (const char *)mnl_attr_get_payload(attr));
		}
	}
}

int nl_request(struct mnl_socket *nl, struct nlmsghdr *nlh, struct nl_reply *r)
{
	static char buf[1 << 16];
	unsigned int myseq = ++seq;
	int n;

	memset(r, 0, sizeof(*r));
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = myseq;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		struct nlmsghdr *h;

		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -1;
		for (h = (struct nlmsghdr *)buf; mnl_nlmsg_ok(h, n);
		     h = mnl_nlmsg_next(h, &n)) {
			if (h->nlmsg_seq != myseq || h->nlmsg_type != NLMSG_ERROR)
				continue;
			parse_ack(h, r);
			return 0;
		}
	}
}

int nl_ifindex(struct mnl_socket *nl, const char *name)
{
	(void)nl;
	return if_nametoindex(name);
}

static void rec_add(struct rec *r, const void *p, size_t len)
{
	r->buf = realloc(r->buf, r->len + len);
	if (!r->buf)
		abort();
	memcpy(r->buf + r->len, p, len);
	r->len += len;
}

/* Copy an attribute stream, leaving out types in @skip (0-terminated). */
static void rec_attrs(struct rec *r, const void *p, size_t len, const int *skip)
{
	const struct nlattr *attr;

	mnl_attr_for_each_payload(p, len) {
		int t = mnl_attr_get_type(attr), i, drop = 0;

		for (i = 0; skip[i]; i++)
			drop |= t == skip[i];
		if (!drop)
			rec_add(r, attr, MNL_ALIGN(attr->nla_len));
	}
}

struct dump_ctx {
	int ifindex;
	struct dev_state *s;
	int found;
};

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	static const int info_skip[] = { IFLA_OVL_FDB_COUNT, IFLA_OVL_FDB_LEARNED, 0 };
	struct dump_ctx *c = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct rec *r = &c->s->link;
	const struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWLINK || ifi->ifi_index != c->ifindex)
		return MNL_CB_OK;
	c->found = 1;
	rec_add(r, &ifi->ifi_type, sizeof(ifi->ifi_type));
	{
		unsigned int up = ifi->ifi_flags & IFF_UP;

		rec_add(r, &up, sizeof(up));
	}
	mnl_attr_for_each(a, nlh, sizeof(*ifi)) {
		switch (mnl_attr_get_type(a)) {
		case IFLA_IFNAME:
		case IFLA_MTU:
		case IFLA_ADDRESS:
		case IFLA_MIN_MTU:
		case IFLA_MAX_MTU:
			rec_add(r, a, MNL_ALIGN(a->nla_len));
			break;
		case IFLA_LINKINFO: {
			const struct nlattr *i;

			mnl_attr_for_each_nested(i, a) {
				if (mnl_attr_get_type(i) == IFLA_INFO_KIND)
					rec_add(r, i, MNL_ALIGN(i->nla_len));
				if (mnl_attr_get_type(i) == IFLA_INFO_DATA)
					rec_attrs(r, mnl_attr_get_payload(i),
						  mnl_attr_get_payload_len(i),
						  info_skip);
			}
			break;
		}
		}
	}
	return MNL_CB_OK;
}

static int fdb_cb(const struct nlmsghdr *nlh, void *data)
{
	static const int skip[] = { NDA_CACHEINFO, 0 };
	struct dump_ctx *c = data;
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	struct dev_state *s = c->s;
	struct rec r = { 0 };

	if (nlh->nlmsg_type != RTM_NEWNEIGH || ndm->ndm_ifindex != c->ifindex)
		return MNL_CB_OK;
	rec_add(&r, &ndm->ndm_state, sizeof(ndm->ndm_state));
	rec_add(&r, &ndm->ndm_flags, sizeof(ndm->ndm_flags));
	rec_add(&r, &ndm->ndm_type, sizeof(ndm->ndm_type));
	rec_attrs(&r, (const char *)ndm + MNL_ALIGN(sizeof(*ndm)),
		  mnl_nlmsg_get_payload_len(nlh) - MNL_ALIGN(sizeof(*ndm)), skip);
	r.dynamic = !(ndm->ndm_state & (NUD_PERMANENT | NUD_NOARP));
	s->fdb = realloc(s->fdb, (s->nfdb + 1) * sizeof(*s->fdb));
	if (!s->fdb)
		abort();
	s->fdb[s->nfdb++] = r;
	return MNL_CB_OK;
}

static int dump(struct mnl_socket *nl, struct nlmsghdr *nlh, mnl_cb_t cb,
		void *data)
{
	static char buf[1 << 16];
	unsigned int myseq = ++seq, portid = mnl_socket_get_portid(nl);
	int n, ret;

	nlh->nlmsg_seq = myseq;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			return -1;
		ret = mnl_cb_run(buf, n, myseq, portid, cb, data);
		/* A plain GET gets one reply, a dump ends with NLMSG_DONE. */
	} while (ret > 0 && (nlh->nlmsg_flags & NLM_F_DUMP));
	return ret < 0 ? -1 : 0;
}

static int rec_cmp(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->buf, y->buf, n);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

int state_read(struct mnl_socket *nl, int ifindex, struct dev_state *s)
{
	char buf[16384];
	struct dump_ctx c = { .ifindex = ifindex, .s = s };
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct ndmsg *ndm;

	memset(s, 0, sizeof(*s));
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = ifindex;
	if (dump(nl, nlh, link_cb, &c) || !c.found)
		return -1;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = AF_BRIDGE;
	if (dump(nl, nlh, fdb_cb, &c))
		return -1;
	qsort(s->fdb, s->nfdb, sizeof(*s->fdb), rec_cmp);
	return 0;
}

int state_cmp(const struct dev_state *a, const struct dev_state *b)
{
	size_t i = 0, j = 0;
	int aged = 0;

	if (rec_cmp(&a->link, &b->link))
		return -1;
	/* Both sorted: walk them together. */
	while (i < a->nfdb || j < b->nfdb) {
		int c = i == a->nfdb ? 1 : j == b->nfdb ? -1 :
			rec_cmp(&a->fdb[i], &b->fdb[j]);

		if (!c) {
			i++;
			j++;
		} else if (c < 0 && a->fdb[i].dynamic) {
			i++;		/* aged out meanwhile */
			aged = 1;
		} else {
			return -1;
		}
	}
	return aged;
}

void state_free(struct dev_state *s)
{
	size_t i;

	free(s->link.buf);
	for (i = 0; i < s->nfdb; i++)
		free(s->fdb[i].buf);
	free(s->fdb);
	memset(s, 0, sizeof(*s));
}

static void rec_print(const char *tag, const struct rec *r)
{
	size_t i;

	fprintf(stderr, "  %s ", tag);
	for (i = 0; i < r->len; i++)
		fprintf(stderr, "%02x", r->buf[i]);
	fprintf(stderr, "\n");
}

void state_print_diff(const struct dev_state *a, const struct dev_state *b)
{
	size_t i;

	if (rec_cmp(&a->link, &b->link)) {
		rec_print("link before", &a->link);
		rec_print("link after ", &b->link);
	}
	fprintf(stderr, "  fdb before: %zu entries, after: %zu\n", a->nfdb, b->nfdb);
	for (i = 0; i < a->nfdb; i++)
		if (!bsearch(&a->fdb[i], b->fdb, b->nfdb, sizeof(*b->fdb), rec_cmp))
			rec_print("fdb gone   ", &a->fdb[i]);
	for (i = 0; i < b->nfdb; i++)
		if (!bsearch(&b->fdb[i], a->fdb, a->nfdb, sizeof(*a->fdb), rec_cmp))
			rec_print("fdb new    ", &b->fdb[i]);
}
