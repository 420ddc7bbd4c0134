// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "flags.h"

enum flag_type { F_STRING, F_LIST, F_CSV, F_BOOL, F_INT };

struct flag {
	const char *name;
	enum flag_type type;
	size_t off;
	const char *help;
};

#define OPT(field) offsetof(struct options, field)

static const struct flag flags[] = {
	{ "etcd-endpoints", F_CSV, OPT(etcd_endpoints), "comma-separated etcd endpoints (default http://127.0.0.1:2379)" },
	{ "etcd-prefix", F_STRING, OPT(etcd_prefix), "etcd prefix (default /coreos.com/network)" },
	{ "etcd-cafile", F_STRING, OPT(etcd_cafile), "SSL Certificate Authority file used to secure etcd communication" },
	{ "etcd-certfile", F_STRING, OPT(etcd_certfile), "SSL certification file used to secure etcd communication" },
	{ "etcd-keyfile", F_STRING, OPT(etcd_keyfile), "SSL key file used to secure etcd communication" },
	{ "etcd-username", F_STRING, OPT(etcd_username), "username for BasicAuth to etcd" },
	{ "etcd-password", F_STRING, OPT(etcd_password), "password for BasicAuth to etcd" },
	{ "iface", F_LIST, OPT(iface), "interface to use (IP or name) for inter-host communication; may be repeated" },
	{ "iface-regex", F_LIST, OPT(iface_regex), "regex of the interface name or IP to use; may be repeated" },
	{ "iface-can-reach", F_STRING, OPT(iface_can_reach), "detect the interface to use by the route to this address" },
	{ "public-ip", F_STRING, OPT(public_ip), "IPv4 address accessible by other nodes for inter-host communication" },
	{ "public-ipv6", F_STRING, OPT(public_ipv6), "IPv6 address accessible by other nodes for inter-host communication" },
	{ "subnet-file", F_STRING, OPT(subnet_file), "filename where env variables will be written (default /run/flannel/subnet.env)" },
	{ "ip-masq", F_BOOL, OPT(ip_masq), "setup IP masquerade rule for traffic destined outside of overlay network" },
	{ "iptables-forward-rules", F_BOOL, OPT(iptables_forward_rules), "add default accept rules to FORWARD chain in iptables (default true)" },
	{ "subnet-lease-renew-margin", F_INT, OPT(renew_margin), "subnet lease renewal margin, in minutes (default 60)" },
	{ "v", F_INT, OPT(verbosity), "log level for V logs" },
	{ "kube-subnet-mgr", F_BOOL, OPT(kube_subnet_mgr), "contact the Kubernetes API for subnet assignment (not built in)" },
	{ "version", F_BOOL, OPT(version), "print version and exit" },
	{ "cni-conf", F_STRING, OPT(cni_conf), "ovl-agent: CNI network config to write (default /etc/cni/net.d/10-ovl.conflist; \"\" = none)" },
	{ "status-file", F_STRING, OPT(status_file), "ovl-agent: where the agent's state is written (default /run/flannel/ovl-agent.json)" },
	{ "resync-interval", F_INT, OPT(resync), "ovl-agent: seconds between full re-lists of the leases (default 300)" },
};

#define NFLAGS	(sizeof(flags) / sizeof(flags[0]))

/* Where each flag's value came from, for check_values()'s messages. */
static char origin[NFLAGS][64];

/* " (from FLANNELD_X)" when flag name was set from the environment. */
static const char *from(const char *name)
{
	for (size_t i = 0; i < NFLAGS; i++) {
		if (!strcmp(flags[i].name, name))
			return origin[i];
	}
	return "";
}

static void __attribute__((noreturn, format(printf, 1, 2))) flag_err(const char *fmt, ...)
{
	va_list ap;

	fputs("ovl-agent: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (ovl-agent --help lists the flags)\n", stderr);
	exit(2);
}

void flags_usage(void)
{
	printf("usage: ovl-agent [flags]           run the agent (flanneld's vxlan backend on ovl)\n"
	       "       ovl-agent status [-j] [--status-file F]   what a running agent holds\n\n");
	for (size_t i = 0; i < NFLAGS; i++)
		printf("  --%-28s %s\n", flags[i].name, flags[i].help);
	printf("\nEach flag may also be set as FLANNELD_<NAME> in the environment\n"
	       "(e.g. FLANNELD_IFACE=eth0), as flanneld reads it.\n");
}

static bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "t", "T", "true", "TRUE", "True" };
	static const char *const no[] = { "0", "f", "F", "false", "FALSE", "False" };

	for (size_t i = 0; i < 6; i++) {
		if (!strcmp(s, yes[i])) {
			*out = true;
			return true;
		}
		if (!strcmp(s, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

static void list_add(const char *name, struct strlist *l, const char *v)
{
	if (l->n == MAX_LIST)
		flag_err("--%s: more than %d values", name, MAX_LIST);
	l->v[l->n++] = v;
}

/* Set flag f from value v; where says where v came from, for errors. */
static void flag_set(const struct flag *f, struct options *o, const char *v,
		     const char *where)
{
	void *p = (char *)o + f->off;
	char *end, *copy, *tok, *save;
	long n;

	switch (f->type) {
	case F_STRING:
		*(const char **)p = v;
		break;
	case F_LIST:
		list_add(f->name, p, v);
		break;
	case F_CSV:
		((struct strlist *)p)->n = 0;
		copy = strdup(v);
		if (!copy)
			flag_err("out of memory");
		for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			list_add(f->name, p, tok);
		if (((struct strlist *)p)->n == 0)
			flag_err("invalid value \"%s\" for %s: empty list", v, where);
		break;
	case F_BOOL:
		if (!parse_bool(v, p))
			flag_err("invalid boolean value \"%s\" for %s", v, where);
		break;
	case F_INT:
		errno = 0;
		n = strtol(v, &end, 0);
		if (!*v || *end || errno || n < INT_MIN || n > INT_MAX)
			flag_err("invalid value \"%s\" for %s: not an integer", v, where);
		*(int *)p = (int)n;
		break;
	}
}

static const struct flag *flag_find(const char *name, size_t len)
{
	for (size_t i = 0; i < NFLAGS; i++) {
		if (strlen(flags[i].name) == len && !strncmp(flags[i].name, name, len))
			return &flags[i];
	}
	return NULL;
}

/* FLANNELD_ETCD_ENDPOINTS for etcd-endpoints. */
static void env_name(const struct flag *f, char *buf, size_t len)
{
	size_t i = snprintf(buf, len, "FLANNELD_");

	for (const char *c = f->name; *c && i + 1 < len; c++)
		buf[i++] = *c == '-' ? '_' : (char)toupper((unsigned char)*c);
	buf[i] = '\0';
}

static void check_values(const struct options *o)
{
	struct ipaddr a;

	for (int i = 0; i < o->etcd_endpoints.n; i++) {
		const char *e = o->etcd_endpoints.v[i];

		if (strncmp(e, "http://", 7) && strncmp(e, "https://", 8))
			flag_err("invalid value \"%s\" for --etcd-endpoints%s: not an http:// or https:// URL", e,
				 from("etcd-endpoints"));
	}
	if (o->etcd_prefix[0] != '/')
		flag_err("invalid value \"%s\" for --etcd-prefix%s: must start with /", o->etcd_prefix,
			 from("etcd-prefix"));
	if (o->iface_can_reach && !addr_parse(o->iface_can_reach, &a))
		flag_err("invalid value \"%s\" for --iface-can-reach%s: not an IP address",
			 o->iface_can_reach, from("iface-can-reach"));
	if (o->public_ip && !addr_parse_family(o->public_ip, AF_INET, &a))
		flag_err("invalid value \"%s\" for --public-ip%s: not an IPv4 address", o->public_ip,
			 from("public-ip"));
	if (o->public_ipv6 && !addr_parse_family(o->public_ipv6, AF_INET6, &a))
		flag_err("invalid value \"%s\" for --public-ipv6%s: not an IPv6 address", o->public_ipv6,
			 from("public-ipv6"));
	if (o->renew_margin <= 0 || o->renew_margin >= 24 * 60)
		flag_err("invalid value %d for --subnet-lease-renew-margin%s: out of acceptable range (1-1439 minutes)",
			 o->renew_margin, from("subnet-lease-renew-margin"));
	if (o->verbosity < 0)
		flag_err("invalid value %d for -v%s: must be 0 or more", o->verbosity, from("v"));
	if (o->resync < 1)
		flag_err("invalid value %d for --resync-interval%s: must be 1 or more", o->resync,
			 from("resync-interval"));
	if (!o->subnet_file[0])
		flag_err("invalid value \"\" for --subnet-file%s: empty", from("subnet-file"));
	if ((o->etcd_certfile == NULL) != (o->etcd_keyfile == NULL))
		flag_err("--etcd-certfile and --etcd-keyfile go together");
}

int flags_parse(struct options *o, int argc, char **argv)
{
	bool set[NFLAGS] = { 0 };
	int i;

	memset(o, 0, sizeof(*o));
	o->etcd_prefix = "/coreos.com/network";
	o->subnet_file = "/run/flannel/subnet.env";
	o->renew_margin = 60;
	o->iptables_forward_rules = true;
	o->cni_conf = "/etc/cni/net.d/10-ovl.conflist";
	o->status_file = "/run/flannel/ovl-agent.json";
	o->resync = 300;
	o->kind = getenv("OVL_AGENT_KIND");
	if (!o->kind || !*o->kind)
		o->kind = "ovl";

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *name, *eq, *val;
		const struct flag *f;
		char where[80];

		if (a[0] != '-' || !a[1])
			break;		/* the first non-flag ends the flags */
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		name = a + 1 + (a[1] == '-');
		if (!strcmp(name, "h") || !strcmp(name, "help")) {
			flags_usage();
			exit(0);
		}
		eq = strchr(name, '=');
		f = flag_find(name, eq ? (size_t)(eq - name) : strlen(name));
		if (!f)
			flag_err("flag provided but not defined: %.*s",
				 (int)(eq ? eq - a : (long)strlen(a)), a);
		snprintf(where, sizeof(where), "flag --%s", f->name);
		if (eq) {
			val = eq + 1;
		} else if (f->type == F_BOOL) {
			val = "true";
		} else {
			if (i + 1 >= argc)
				flag_err("flag needs an argument: --%s", f->name);
			val = argv[++i];
		}
		flag_set(f, o, val, where);
		set[f - flags] = true;
	}

	for (size_t k = 0; k < NFLAGS; k++) {
		char env[64], where[96];
		const char *v;

		if (set[k])
			continue;
		env_name(&flags[k], env, sizeof(env));
		v = getenv(env);
		if (!v)
			continue;
		snprintf(where, sizeof(where), "environment variable %s", env);
		snprintf(origin[k], sizeof(origin[k]), " (from %s)", env);
		flag_set(&flags[k], o, v, where);
	}
	if (o->etcd_endpoints.n == 0)
		list_add("etcd-endpoints", &o->etcd_endpoints, "http://127.0.0.1:2379");
	check_values(o);
	return i;
}
