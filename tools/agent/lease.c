// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "lease.h"

/* "10.244.3.0-24": flannel's subnet with "-" for "/". */
static bool subnet_parse(const char *s, size_t n, int family, struct ipnet *net)
{
	char buf[NET_STRLEN + 1];
	const char *dash;
	struct ipnet exact;

	if (n >= sizeof(buf))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	dash = strrchr(buf, '-');
	if (!dash)
		return false;
	buf[dash - buf] = '/';
	if (!net_parse(buf, net) || net->ip.family != family)
		return false;
	/* The key names a network address; "10.244.3.7-24" is not a lease. */
	exact = *net;
	buf[dash - buf] = '\0';
	return addr_parse(buf, &exact.ip) && addr_eq(&exact.ip, &net->ip);
}

void lease_key_name(const struct lease *l, char *buf, size_t len)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];

	if (l->has_v4 && l->has_v6)
		snprintf(buf, len, "%s-%d&%s-%d", addr_fmt(&l->subnet.ip, a),
			 l->subnet.plen, addr_fmt(&l->subnet6.ip, b), l->subnet6.plen);
	else if (l->has_v4)
		snprintf(buf, len, "%s-%d", addr_fmt(&l->subnet.ip, a), l->subnet.plen);
	else
		snprintf(buf, len, "%s-%d", addr_fmt(&l->subnet6.ip, b), l->subnet6.plen);
}

bool lease_key_parse(const char *name, struct lease *l)
{
	const char *amp = strchr(name, '&');

	l->has_v4 = l->has_v6 = false;
	if (amp) {
		l->has_v4 = subnet_parse(name, amp - name, AF_INET, &l->subnet);
		l->has_v6 = subnet_parse(amp + 1, strlen(amp + 1), AF_INET6, &l->subnet6);
		return l->has_v4 && l->has_v6;
	}
	if (subnet_parse(name, strlen(name), AF_INET, &l->subnet))
		return l->has_v4 = true;
	return l->has_v6 = subnet_parse(name, strlen(name), AF_INET6, &l->subnet6);
}

static json_object *backend_json(const struct backend_data *d)
{
	json_object *o = json_object_new_object();
	char mac[MAC_STRLEN];

	json_object_object_add(o, "VNI", json_object_new_int64(d->vni));
	json_object_object_add(o, "VtepMAC", json_object_new_string(mac_fmt(d->mac, mac)));
	return o;
}

static json_object *ip_json(const struct ipaddr *a)
{
	char s[ADDR_STRLEN];

	return a->family ? json_object_new_string(addr_fmt(a, s)) : NULL;
}

char *lease_value_encode(const struct lease *l)
{
	json_object *o = json_object_new_object();
	char *text;

	/* Go's encoding/json writes fields in declaration order. */
	json_object_object_add(o, "PublicIP", l->public_ip.family ?
			       ip_json(&l->public_ip) : json_object_new_string("0.0.0.0"));
	json_object_object_add(o, "PublicIPv6", ip_json(&l->public_ipv6));
	json_object_object_add(o, "BackendType", json_object_new_string(l->backend_type));
	if (l->data.present)
		json_object_object_add(o, "BackendData", backend_json(&l->data));
	if (l->data6.present)
		json_object_object_add(o, "BackendV6Data", backend_json(&l->data6));
	text = strdup(json_compact(o));
	json_object_put(o);
	return text;
}

static bool data_equal(const struct backend_data *a, const struct backend_data *b)
{
	return a->present == b->present &&
	       (!a->present || (a->vni == b->vni && !memcmp(a->mac, b->mac, 6)));
}

bool lease_attrs_equal(const struct lease *a, const struct lease *b)
{
	return addr_eq(&a->public_ip, &b->public_ip) &&
	       addr_eq(&a->public_ipv6, &b->public_ipv6) &&
	       !strcmp(a->backend_type, b->backend_type) &&
	       data_equal(&a->data, &b->data) && data_equal(&a->data6, &b->data6);
}

static bool why_fail(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool why_fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return false;
}

static bool decode_ip(json_object *o, const char *key, int family,
		      struct ipaddr *a, char *why, size_t len)
{
	json_object *v = json_get(o, key);

	memset(a, 0, sizeof(*a));
	if (!v || json_object_is_type(v, json_type_null))
		return true;
	if (!json_object_is_type(v, json_type_string) ||
	    !addr_parse_family(json_object_get_string(v), family, a))
		return why_fail(why, len, "%s is not an %s address", key,
				family == AF_INET ? "IPv4" : "IPv6");
	return true;
}

static bool decode_backend(json_object *o, const char *key,
			   struct backend_data *d, char *why, size_t len)
{
	json_object *b = json_get(o, key);
	const char *mac = NULL;
	int64_t vni = 0;

	memset(d, 0, sizeof(*d));
	if (!b || json_object_is_type(b, json_type_null))
		return true;
	if (!json_object_is_type(b, json_type_object))
		return why_fail(why, len, "%s is not an object", key);
	if (json_get_int(b, "VNI", &vni) < 0 || vni < 0 || vni > 0xffffff)
		return why_fail(why, len, "%s.VNI is not a VNI", key);
	if (json_get_str(b, "VtepMAC", &mac) <= 0 || !mac_parse(mac, d->mac))
		return why_fail(why, len, "%s.VtepMAC is not a MAC address", key);
	if (!mac_is_valid_unicast(d->mac))
		return why_fail(why, len, "%s.VtepMAC %s is not a unicast address", key, mac);
	d->vni = (uint32_t)vni;
	d->present = true;
	return true;
}

bool lease_value_decode(const char *text, size_t len, struct lease *l,
			char *why, size_t whylen)
{
	const char *reason, *type = NULL;
	json_object *o = json_parse_text(text, len, &reason);
	bool ok = false;

	if (!o)
		return why_fail(why, whylen, "value is not JSON (%s)", reason);
	if (!json_object_is_type(o, json_type_object)) {
		why_fail(why, whylen, "value is not a JSON object");
		goto out;
	}
	if (!decode_ip(o, "PublicIP", AF_INET, &l->public_ip, why, whylen) ||
	    !decode_ip(o, "PublicIPv6", AF_INET6, &l->public_ipv6, why, whylen))
		goto out;
	if (json_get_str(o, "BackendType", &type) < 0) {
		why_fail(why, whylen, "BackendType is not a string");
		goto out;
	}
	snprintf(l->backend_type, sizeof(l->backend_type), "%s", type ? type : "");
	if (!decode_backend(o, "BackendData", &l->data, why, whylen) ||
	    !decode_backend(o, "BackendV6Data", &l->data6, why, whylen))
		goto out;
	ok = true;
out:
	json_object_put(o);
	return ok;
}
