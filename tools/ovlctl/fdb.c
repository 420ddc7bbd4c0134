// SPDX-License-Identifier: GPL-2.0
/*
 * ovlctl fdb: AF_BRIDGE neighbour requests with NTF_SELF, the same
 * messages `bridge fdb add|replace|del|show dev DEV self` sends, so the
 * device's own FDB is addressed and not a bridge it may be a port of.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "fdb.h"

void help_fdb(void)
{
	printf("Usage: ovlctl fdb add|replace DEVICE MAC IP [port P] [vni N] [static|permanent]\n"
	       "       ovlctl fdb del DEVICE MAC [IP [port P] [vni N]]\n"
	       "       ovlctl fdb show DEVICE\n"
	       "Entries are permanent unless \"static\" is given.\n");
}

void fdb_parse_opts(int argc, char **argv, int first, struct fdb_args *a,
		    bool allow_state)
{
	int i;

	/* What bridge fdb sends without "static": permanent, no ARP. */
	a->state = NUD_PERMANENT | NUD_NOARP;
	for (i = first; i < argc; i++) {
		const char *k = argv[i];

		if (!strcmp(k, "port")) {
			parse_port_arg(need_arg(&i, argc, argv), &a->port);
			a->port_set = true;
		} else if (!strcmp(k, "vni")) {
			parse_vni_arg(need_arg(&i, argc, argv), &a->vni);
			a->vni_set = true;
		} else if (allow_state && !strcmp(k, "permanent")) {
			a->state = NUD_PERMANENT | NUD_NOARP;
		} else if (allow_state && !strcmp(k, "static")) {
			a->state = NUD_REACHABLE | NUD_NOARP;
		} else {
			usage_err("unknown parameter \"%s\"", k);
		}
	}
}

int fdb_send(uint16_t type, uint16_t flags, const struct link_info *li,
	     const struct fdb_args *a, const char *what)
{
	struct nlmsghdr *nlh = nl_msg(type, flags, sizeof(struct ndmsg));
	struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);

	ndm->ndm_family = AF_BRIDGE;
	ndm->ndm_ifindex = li->ifindex;
	ndm->ndm_flags = NTF_SELF;
	ndm->ndm_state = type == RTM_NEWNEIGH ? a->state : 0;
	mnl_attr_put(nlh, NDA_LLADDR, 6, a->mac);
	if (a->ip_set) {
		if (a->ip.family == AF_INET)
			mnl_attr_put(nlh, NDA_DST, 4, &a->ip.a.v4);
		else
			mnl_attr_put(nlh, NDA_DST, 16, &a->ip.a.v6);
	}
	if (a->port_set)
		mnl_attr_put_u16(nlh, NDA_PORT, htons(a->port));
	if (a->vni_set)
		mnl_attr_put_u32(nlh, NDA_VNI, a->vni);
	return nl_request(nlh, what);
}

struct show_ctx {
	const struct link_info *li;
	bool default_only;
	long hz;
};

static int ndattr_cb(const struct nlattr *attr, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(attr);

	if (type <= NDA_MAX)
		tb[type] = attr;
	return MNL_CB_OK;
}

static const char *state_name(uint16_t s)
{
	if (s & NUD_PERMANENT)
		return "permanent";
	if (s & NUD_NOARP)
		return "static";
	if (s & NUD_REACHABLE)
		return "reachable";
	if (s & NUD_STALE)
		return "stale";
	return "other";
}

static int show_cb(const struct nlmsghdr *nlh, void *data)
{
	static const uint8_t zero[6];
	const struct show_ctx *ctx = data;
	const struct nlattr *tb[NDA_MAX + 1] = { 0 };
	const struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	const struct nda_cacheinfo *ci;
	const uint8_t *mac;
	char buf[INET6_ADDRSTRLEN];
	uint32_t vni;
	uint16_t port;
	bool learned;

	if (nlh->nlmsg_type != RTM_NEWNEIGH ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ndm)) ||
	    ndm->ndm_family != AF_BRIDGE ||
	    ndm->ndm_ifindex != ctx->li->ifindex ||
	    !(ndm->ndm_flags & NTF_SELF))	/* not a bridge's entry */
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ndm), ndattr_cb, tb);
	if (!tb[NDA_LLADDR] || mnl_attr_get_payload_len(tb[NDA_LLADDR]) != 6)
		return MNL_CB_OK;
	mac = mnl_attr_get_payload(tb[NDA_LLADDR]);
	if (ctx->default_only && memcmp(mac, zero, 6))
		return MNL_CB_OK;

	out_begin_object(NULL);
	if (!ctx->default_only) {
		if (opt_json)
			out_str("mac", fmt_mac(mac, buf, sizeof(buf)));
		else
			out_plain("%s", fmt_mac(mac, buf, sizeof(buf)));
	}
	if (tb[NDA_DST]) {
		uint16_t len = mnl_attr_get_payload_len(tb[NDA_DST]);

		if (len == 4 || len == 16)
			out_str("dst", fmt_ip(len == 4 ? AF_INET : AF_INET6,
					      mnl_attr_get_payload(tb[NDA_DST]),
					      buf, sizeof(buf)));
	}
	/* The kernel omits port and VNI when they are the device's own. */
	if (tb[NDA_PORT] && mnl_attr_get_payload_len(tb[NDA_PORT]) >= 2)
		port = ntohs(mnl_attr_get_u16(tb[NDA_PORT]));
	else
		port = ctx->li->port;
	if (port)
		out_u64("port", port);
	if (tb[NDA_VNI] && mnl_attr_get_payload_len(tb[NDA_VNI]) >= 4) {
		vni = mnl_attr_get_u32(tb[NDA_VNI]);
		out_u64("vni", vni);
	} else if (ctx->li->has_vni) {
		out_u64("vni", ctx->li->vni);
	}
	if (!ctx->default_only) {
		learned = !(ndm->ndm_state & (NUD_PERMANENT | NUD_NOARP));
		if (opt_json) {
			out_str("state", state_name(ndm->ndm_state));
			out_bool("learned", learned);
		} else {
			out_plain("%s", state_name(ndm->ndm_state));
		}
		ci = NULL;
		if (tb[NDA_CACHEINFO] &&
		    mnl_attr_get_payload_len(tb[NDA_CACHEINFO]) >= sizeof(*ci))
			ci = mnl_attr_get_payload(tb[NDA_CACHEINFO]);
		if (ci) {
			out_u64("used", ci->ndm_used / ctx->hz);
			out_u64("updated", ci->ndm_updated / ctx->hz);
		}
	}
	out_newline();
	out_end_object();
	return MNL_CB_OK;
}

int fdb_show(const struct link_info *li, bool default_only)
{
	struct show_ctx ctx = { li, default_only, sysconf(_SC_CLK_TCK) };
	struct nlmsghdr *nlh;
	struct ndmsg *ndm;
	int err;

	if (ctx.hz <= 0)
		ctx.hz = 100;
	nlh = nl_msg(RTM_GETNEIGH, NLM_F_DUMP, sizeof(struct ndmsg));
	ndm = mnl_nlmsg_get_payload(nlh);
	ndm->ndm_family = AF_BRIDGE;
	out_begin_array(NULL);
	err = nl_dump(nlh, show_cb, &ctx, default_only ? "remote show" : "fdb show");
	out_end_array();
	out_finish();
	return err ? EXIT_KERNEL : 0;
}

const struct fdb_verb *fdb_verb(const struct fdb_cmd *c, int argc,
				char **argv, int *show_ret)
{
	const char *cmd = c->name;
	const struct fdb_verb *v;
	struct link_info li;
	const char *sub;

	if (argc < 1)
		usage_err("%s: expected %s", cmd, c->expected);
	sub = argv[0];
	if (argc < 2)
		usage_err("%s %s: no device name given", cmd, sub);
	check_ifname(argv[1]);
	if (!strcmp(sub, "show")) {
		if (argc > 2)
			usage_err("%s show: unexpected \"%s\"", cmd, argv[2]);
		*show_ret = EXIT_KERNEL;
		if (link_lookup(argv[1], &li) == 0)
			*show_ret = fdb_show(&li, c->default_only);
		return NULL;
	}
	for (v = c->verbs; v->name; v++)
		if (!strcmp(sub, v->name))
			return v;
	usage_err("%s: unknown command \"%s\"", cmd, sub);
}

int fdb_request(const struct fdb_cmd *c, const struct fdb_verb *v,
		char **argv, const struct fdb_args *a)
{
	struct link_info li;
	char what[96];

	if (link_lookup(argv[1], &li) < 0)
		return EXIT_KERNEL;
	snprintf(what, sizeof(what), "%s %s %s %s", c->name, v->name, argv[1], argv[2]);
	return fdb_send(v->type, v->flags, &li, a, what) ? EXIT_KERNEL : 0;
}

static const struct fdb_verb fdb_verbs[] = {
	{ "add",	RTM_NEWNEIGH,	NLM_F_CREATE | NLM_F_EXCL },
	{ "replace",	RTM_NEWNEIGH,	NLM_F_CREATE | NLM_F_REPLACE },
	{ "del",	RTM_DELNEIGH,	0 },
	{ NULL, 0, 0 }
};

static const struct fdb_cmd fdb_cmd = {
	"fdb", "add, replace, del or show", fdb_verbs, false
};

int cmd_fdb(int argc, char **argv)
{
	const struct fdb_verb *v;
	struct fdb_args a = { 0 };
	int ret;

	v = fdb_verb(&fdb_cmd, argc, argv, &ret);
	if (!v)
		return ret;
	if (argc < 3)
		usage_err("fdb %s: no MAC address given", v->name);
	if (!parse_mac(argv[2], a.mac))
		usage_err("invalid MAC address \"%s\"", argv[2]);
	if (v->type == RTM_NEWNEIGH && argc < 4)
		usage_err("fdb %s: no remote IP given", v->name);
	if (argc > 3) {
		parse_remote_ip(argv[3], &a.ip);
		a.ip_set = true;
	}
	fdb_parse_opts(argc, argv, 4, &a, v->type == RTM_NEWNEIGH);
	return fdb_request(&fdb_cmd, v, argv, &a);
}
