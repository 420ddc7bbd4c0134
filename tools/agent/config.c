// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "jsonutil.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A string member parsed as a prefix or an address of the family. */
static int get_net(json_object *o, const char *key, int family,
		   struct ipnet *n, char *err, size_t errlen)
{
	const char *s;
	int r = json_get_str(o, key, &s);

	if (r < 0 || (r > 0 && (!net_parse(s, n) || n->ip.family != family)))
		return fail(err, errlen, "%s: not an %s prefix (\"a.b.c.d/n\")",
			    key, family == AF_INET ? "IPv4" : "IPv6");
	return r;
}

static int get_addr(json_object *o, const char *key, int family,
		    struct ipaddr *a, char *err, size_t errlen)
{
	const char *s;
	int r = json_get_str(o, key, &s);

	if (r < 0 || (r > 0 && !addr_parse_family(s, family, a)))
		return fail(err, errlen, "%s: not an %s address", key,
			    family == AF_INET ? "IPv4" : "IPv6");
	return r;
}

static int get_int(json_object *o, const char *key, int64_t min, int64_t max,
		   int64_t *out, char *err, size_t errlen)
{
	int r = json_get_int(o, key, out);

	if (r < 0)
		return fail(err, errlen, "%s: not an integer", key);
	if (r > 0 && (*out < min || *out > max))
		return fail(err, errlen, "%s: %lld is out of range (%lld-%lld)", key,
			    (long long)*out, (long long)min, (long long)max);
	return r;
}

static int get_bool(json_object *o, const char *key, bool *out, char *err,
		    size_t errlen)
{
	if (json_get_bool(o, key, out) < 0)
		return fail(err, errlen, "%s: not true or false", key);
	return 0;
}

/*
 * Defaults and limits of one family, as flannel's CheckNetworkConfig:
 * the smallest useful network, the default subnet length (/24 or /64 when
 * the network is big enough, else the network split in four), SubnetMin
 * past the first subnet, SubnetMax the last, both on a subnet boundary.
 * pfx names the keys ("" or "IPv6").
 */
static int check_plan(struct netplan *p, const char *pfx, bool have_min,
		      bool have_max, char *err, size_t errlen)
{
	int bits = addr_bits(p->network.ip.family);
	int dflt = bits == 32 ? 24 : 64;
	struct ipnet first, last;
	char a[ADDR_STRLEN];

	if (p->subnet_len > 0) {
		if (p->subnet_len > bits - 2)
			return fail(err, errlen, "%sSubnetLen must be less than /%d",
				    pfx, bits - 1);
		if (p->subnet_len < p->network.plen + 2)
			return fail(err, errlen, "%sNetwork must be able to accommodate at least four subnets",
				    pfx);
	} else if (p->network.plen > bits - 4) {
		return fail(err, errlen, "%sNetwork is too small. Minimum useful network prefix is /%d",
			    pfx, bits - 4);
	} else if (p->network.plen <= dflt - 2) {
		p->subnet_len = dflt;
	} else {
		p->subnet_len = p->network.plen + 2;
	}

	first.ip = p->network.ip;
	first.plen = p->subnet_len;
	if (!have_min) {
		net_next(&first, &first);	/* the first subnet is skipped */
		p->subnet_min = first.ip;
	} else if (!net_contains(&p->network, &p->subnet_min)) {
		return fail(err, errlen, "%sSubnetMin is not in the range of the %sNetwork", pfx, pfx);
	}
	if (!have_max) {
		net_last_subnet(&p->network, p->subnet_len, &last);
		p->subnet_max = last.ip;
	} else if (!net_contains(&p->network, &p->subnet_max)) {
		return fail(err, errlen, "%sSubnetMax is not in the range of the %sNetwork", pfx, pfx);
	}
	if (!addr_aligned(&p->subnet_min, p->subnet_len))
		return fail(err, errlen, "%sSubnetMin is not on a SubnetLen boundary: %s",
			    pfx, addr_fmt(&p->subnet_min, a));
	if (!addr_aligned(&p->subnet_max, p->subnet_len))
		return fail(err, errlen, "%sSubnetMax is not on a SubnetLen boundary: %s",
			    pfx, addr_fmt(&p->subnet_max, a));
	return 0;
}

static int parse_plan(json_object *o, int family, struct netplan *p,
		      char *err, size_t errlen)
{
	bool v6 = family == AF_INET6;
	const char *pfx = v6 ? "IPv6" : "";
	char key[32];
	int64_t len = 0;
	int have_min, have_max, r;

	snprintf(key, sizeof(key), "%sNetwork", pfx);
	r = get_net(o, key, family, &p->network, err, errlen);
	if (r < 0)
		return -1;
	if (r == 0)
		return fail(err, errlen, v6 ?
			    "please define a correct IPv6Network parameter in the flannel config" :
			    "please define a correct Network parameter in the flannel config");
	snprintf(key, sizeof(key), "%sSubnetLen", pfx);
	if (get_int(o, key, 0, addr_bits(family), &len, err, errlen) < 0)
		return -1;
	p->subnet_len = (int)len;
	snprintf(key, sizeof(key), "%sSubnetMin", pfx);
	have_min = get_addr(o, key, family, &p->subnet_min, err, errlen);
	if (have_min < 0)
		return -1;
	snprintf(key, sizeof(key), "%sSubnetMax", pfx);
	have_max = get_addr(o, key, family, &p->subnet_max, err, errlen);
	if (have_max < 0)
		return -1;
	/* Go leaves an all-zeros address as "not set", and so does flannel. */
	if (have_min && addr_is_unspec(&p->subnet_min))
		have_min = 0;
	if (have_max && addr_is_unspec(&p->subnet_max))
		have_max = 0;
	return check_plan(p, pfx, have_min, have_max, err, errlen);
}

static int parse_backend(json_object *o, struct netconfig *c, char *err,
			 size_t errlen)
{
	json_object *b = json_get(o, "Backend");
	const char *type = "udp";	/* flannel's default, without a Backend */
	int64_t v;

	if (b && !json_object_is_type(b, json_type_null) &&
	    !json_object_is_type(b, json_type_object))
		return fail(err, errlen, "Backend: not an object");
	if (b && json_object_is_type(b, json_type_object)) {
		type = "";	/* a Backend without a Type names no backend */
		if (json_get_str(b, "Type", &type) < 0)
			return fail(err, errlen, "Backend.Type: not a string");
	}
	snprintf(c->backend_type, sizeof(c->backend_type), "%s", type);
	if (strcasecmp(type, "vxlan"))
		return fail(err, errlen,
			    "backend type \"%s\" is not supported: ovl-agent implements flannel's vxlan backend only",
			    type);

	c->vni = FLANNEL_DEFAULT_VNI;
	c->port = FLANNEL_DEFAULT_PORT;
	c->mtu = 0;
	c->learning = false;
	if (get_int(b, "VNI", 0, 0xffffff, &v, err, errlen) < 0)
		return -1;
	if (json_get(b, "VNI"))
		c->vni = (uint32_t)v;
	if (get_int(b, "Port", 0, 65535, &v, err, errlen) < 0)
		return -1;
	if (json_get(b, "Port") && v)
		c->port = (uint16_t)v;
	if (get_int(b, "MTU", 0, 65535, &v, err, errlen) < 0)
		return -1;
	if (json_get(b, "MTU"))
		c->mtu = (int)v;
	if (c->mtu && c->mtu < 68 + 70)
		return fail(err, errlen, "Backend.MTU: %d leaves no room for the encapsulation (at least %d)",
			    c->mtu, 68 + 70);
	if (get_bool(b, "GBP", &c->gbp, err, errlen) ||
	    get_bool(b, "DirectRouting", &c->direct_routing, err, errlen) ||
	    get_bool(b, "Learning", &c->learning, err, errlen))
		return -1;
	if (c->gbp)
		return fail(err, errlen, "Backend.GBP: the Group Based Policy extension is not supported by ovl");
	return 0;
}

int config_parse(const char *text, size_t len, struct netconfig *c,
		 char *err, size_t errlen)
{
	const char *why;
	json_object *o;
	int ret = -1;

	memset(c, 0, sizeof(*c));
	o = json_parse_text(text, len, &why);
	if (!o)
		return fail(err, errlen, "not JSON: %s", why);
	if (!json_object_is_type(o, json_type_object)) {
		fail(err, errlen, "not a JSON object");
		goto out;
	}

	c->v4.enabled = true;
	if (get_bool(o, "EnableIPv4", &c->v4.enabled, err, errlen) ||
	    get_bool(o, "EnableIPv6", &c->v6.enabled, err, errlen))
		goto out;
	if (!c->v4.enabled && !c->v6.enabled) {
		fail(err, errlen, "neither IPv4 nor IPv6 is enabled");
		goto out;
	}
	if (c->v4.enabled && parse_plan(o, AF_INET, &c->v4, err, errlen))
		goto out;
	if (c->v6.enabled && parse_plan(o, AF_INET6, &c->v6, err, errlen))
		goto out;
	ret = parse_backend(o, c, err, errlen);
out:
	json_object_put(o);
	return ret;
}
