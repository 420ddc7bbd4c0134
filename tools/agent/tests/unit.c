// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of ovl-agent's pure parts: address arithmetic, flannel's
 * config rules and defaults, the lease key and value, the subnet choice.
 * Each case prints one "[PASS] ..." or "[FAIL] ...: why" line (the
 * selftests' format); the exit status is 1 if any failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "alloc.h"
#include "config.h"
#include "lease.h"

static int fails, passes;

#define CHECK(name, cond, ...)						\
	do {								\
		if (cond) {						\
			printf("[PASS] %s\n", name);			\
			passes++;					\
		} else {						\
			printf("[FAIL] %s: ", name);			\
			printf(__VA_ARGS__);				\
			printf("\n");					\
			fails++;					\
		}							\
	} while (0)

static const char *net_str(const struct ipnet *n)
{
	static char buf[4][NET_STRLEN];
	static int i;

	return net_fmt(n, buf[i++ % 4]);
}

static const char *addr_str(const struct ipaddr *a)
{
	static char buf[4][ADDR_STRLEN];
	static int i;

	return addr_fmt(a, buf[i++ % 4]);
}

static void test_addr(void)
{
	struct ipnet n, m, next;
	struct ipaddr a;
	uint8_t mac[6];

	CHECK("addr: a prefix's host bits are cleared, as Go's ParseCIDR does",
	      net_parse("10.244.1.5/16", &n) && !strcmp(net_str(&n), "10.244.0.0/16"), "%s", net_str(&n));
	CHECK("addr: bad prefixes are refused",
	      !net_parse("10.244.0.0/33", &n) && !net_parse("10.244.0.0", &n) &&
	      !net_parse("10.244.0.0/", &n) && !net_parse("x/8", &n) && !net_parse("10.0.0.0/-1", &n) &&
	      !net_parse("fd00::/129", &n), "a bad prefix parsed");
	net_parse("10.244.255.0/24", &n);
	CHECK("addr: the next /24", net_next(&n, &next) && !strcmp(net_str(&next), "10.245.0.0/24"),
	      "%s", net_str(&next));
	net_parse("255.255.255.0/24", &n);
	CHECK("addr: no subnet after the last one", !net_next(&n, &next), "got %s", net_str(&next));
	net_parse("fd00:0:0:ff::/64", &n);
	CHECK("addr: the next IPv6 /64", net_next(&n, &next) && !strcmp(net_str(&next), "fd00:0:0:100::/64"),
	      "%s", net_str(&next));
	net_parse("10.244.0.0/16", &n);
	net_last_subnet(&n, 24, &m);
	CHECK("addr: the last /24 of a /16", !strcmp(net_str(&m), "10.244.255.0/24"), "%s", net_str(&m));
	net_parse("fd10::/56", &n);
	net_last_subnet(&n, 64, &m);
	CHECK("addr: the last /64 of a /56", !strcmp(net_str(&m), "fd10:0:0:ff::/64"), "%s", net_str(&m));
	net_parse("10.244.0.0/16", &n);
	net_parse("10.244.3.0/24", &m);
	CHECK("addr: containment and overlap",
	      net_contains_net(&n, &m) && !net_contains_net(&m, &n) && net_overlaps(&n, &m) &&
	      net_overlaps(&m, &n), "wrong");
	net_parse("10.245.3.0/24", &m);
	CHECK("addr: disjoint prefixes do not overlap", !net_overlaps(&n, &m), "they do");
	addr_parse("10.244.3.0", &a);
	CHECK("addr: alignment", addr_aligned(&a, 24) && !addr_aligned(&a, 23), "wrong");
	addr_parse("10.244.3.7", &a);
	CHECK("addr: an unaligned address", !addr_aligned(&a, 24), "aligned?");
	net_parse("10.244.3.0/24", &n);
	net_host(&n, 1, &a);
	CHECK("addr: the first host of a subnet", !strcmp(addr_str(&a), "10.244.3.1"), "%s", addr_str(&a));
	CHECK("addr: an IPv4 address is not IPv6", !addr_parse_family("10.0.0.1", AF_INET6, &a), "it is");
	CHECK("addr: MACs", mac_parse("02:0A:ff:00:00:01", mac) && mac[1] == 0x0a &&
	      !mac_parse("02:0a:ff:00:00", mac) && !mac_parse("02:0a:ff:00:00:0g", mac) &&
	      !mac_parse("02-0a-ff-00-00-01", mac) && !mac_parse("02:0a:ff:00:00:011", mac),
	      "a bad MAC parsed, or a good one did not");
	mac_parse("01:00:5e:00:00:01", mac);
	CHECK("addr: a multicast MAC is no VTEP's", !mac_is_valid_unicast(mac), "it is");
}

/* parse CONFIG expecting success; err on failure */
static int parse(const char *text, struct netconfig *c, char *err)
{
	return config_parse(text, strlen(text), c, err, 256);
}

static void refused(const char *name, const char *text, const char *want)
{
	struct netconfig c;
	char err[256] = "";

	CHECK(name, parse(text, &c, err) && strstr(err, want), "got \"%s\", wanted \"%s\"", err, want);
}

static void test_config(void)
{
	struct netconfig c;
	char err[256] = "";

	CHECK("config: flannel's defaults for a /16",
	      !parse("{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}", &c, err) &&
	      c.v4.subnet_len == 24 && !strcmp(addr_str(&c.v4.subnet_min), "10.244.1.0") &&
	      !strcmp(addr_str(&c.v4.subnet_max), "10.244.255.0") && c.vni == 1 && c.port == 8472 &&
	      !c.learning && !c.direct_routing && !c.v6.enabled,
	      "%s len %d min %s max %s vni %u port %u", err, c.v4.subnet_len,
	      addr_str(&c.v4.subnet_min), addr_str(&c.v4.subnet_max), c.vni, c.port);
	CHECK("config: a /25 network is split in four /27s",
	      !parse("{\"Network\":\"10.1.2.0/25\",\"Backend\":{\"Type\":\"vxlan\"}}", &c, err) &&
	      c.v4.subnet_len == 27 && !strcmp(addr_str(&c.v4.subnet_min), "10.1.2.32"),
	      "%s len %d", err, c.v4.subnet_len);
	CHECK("config: keys match in any case, as Go's encoding/json",
	      !parse("{\"network\":\"10.244.0.0/16\",\"SUBNETLEN\":26,\"backend\":{\"type\":\"vxlan\",\"vni\":7,\"directrouting\":true}}",
		     &c, err) && c.v4.subnet_len == 26 && c.vni == 7 && c.direct_routing, "%s", err);
	CHECK("config: Port 0 keeps the vxlan default 8472",
	      !parse("{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"Port\":0}}", &c, err) &&
	      c.port == 8472, "%s port %u", err, c.port);
	CHECK("config: an all-zero SubnetMin means not set",
	      !parse("{\"Network\":\"10.244.0.0/16\",\"SubnetMin\":\"0.0.0.0\",\"Backend\":{\"Type\":\"vxlan\"}}", &c, err) &&
	      !strcmp(addr_str(&c.v4.subnet_min), "10.244.1.0"), "%s", err);
	CHECK("config: IPv6 defaults (/64 of a /56; min past the first, max the last)",
	      !parse("{\"Network\":\"10.244.0.0/16\",\"EnableIPv6\":true,\"IPv6Network\":\"fd10::/56\",\"Backend\":{\"Type\":\"vxlan\"}}",
		     &c, err) && c.v6.enabled && c.v6.subnet_len == 64 &&
	      !strcmp(addr_str(&c.v6.subnet_min), "fd10:0:0:1::") &&
	      !strcmp(addr_str(&c.v6.subnet_max), "fd10:0:0:ff::"), "%s", err);
	CHECK("config: IPv6 only",
	      !parse("{\"EnableIPv4\":false,\"EnableIPv6\":true,\"IPv6Network\":\"fd10::/48\",\"Backend\":{\"Type\":\"vxlan\"}}",
		     &c, err) && !c.v4.enabled && c.v6.enabled, "%s", err);
	refused("config: no Backend is flannel's udp, refused",
		"{\"Network\":\"10.244.0.0/16\"}", "backend type \"udp\" is not supported");
	refused("config: Backend without a Type is refused",
		"{\"Network\":\"10.244.0.0/16\",\"Backend\":{}}", "backend type \"\" is not supported");
	refused("config: no Network", "{\"Backend\":{\"Type\":\"vxlan\"}}",
		"please define a correct Network parameter");
	refused("config: SubnetLen 31", "{\"Network\":\"10.0.0.0/8\",\"SubnetLen\":31,\"Backend\":{\"Type\":\"vxlan\"}}",
		"SubnetLen must be less than /31");
	refused("config: fewer than four subnets",
		"{\"Network\":\"10.0.0.0/24\",\"SubnetLen\":25,\"Backend\":{\"Type\":\"vxlan\"}}",
		"at least four subnets");
	refused("config: a /29 network", "{\"Network\":\"10.0.0.0/29\",\"Backend\":{\"Type\":\"vxlan\"}}",
		"Minimum useful network prefix is /28");
	refused("config: SubnetMax outside",
		"{\"Network\":\"10.244.0.0/16\",\"SubnetMax\":\"10.245.0.0\",\"Backend\":{\"Type\":\"vxlan\"}}",
		"SubnetMax is not in the range of the Network");
	refused("config: SubnetMin off the boundary",
		"{\"Network\":\"10.244.0.0/16\",\"SubnetMin\":\"10.244.1.1\",\"Backend\":{\"Type\":\"vxlan\"}}",
		"SubnetMin is not on a SubnetLen boundary: 10.244.1.1");
	refused("config: an IPv6 Network in Network",
		"{\"Network\":\"fd00::/48\",\"Backend\":{\"Type\":\"vxlan\"}}", "not an IPv4 prefix");
	refused("config: VNI as a string", "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"VNI\":\"1\"}}",
		"VNI: not an integer");
	refused("config: a fractional VNI", "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"VNI\":1.5}}",
		"VNI: not an integer");
	refused("config: a port out of range", "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"Port\":65536}}",
		"Port: 65536 is out of range");
	refused("config: GBP (not in ovl)", "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"GBP\":true}}",
		"GBP");
	refused("config: an MTU too small for the encapsulation",
		"{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\",\"MTU\":100}}", "no room");
	refused("config: neither family", "{\"EnableIPv4\":false,\"Backend\":{\"Type\":\"vxlan\"}}",
		"neither IPv4 nor IPv6");
	refused("config: not an object", "[1]", "not a JSON object");
	refused("config: truncated", "{\"Network\":", "not JSON");
	refused("config: text after the object", "{\"Network\":\"10.244.0.0/16\"} x", "not JSON");
	CHECK("config: white space around the object is fine",
	      !parse(" {\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}\n", &c, err), "%s", err);
}

static void test_lease(void)
{
	struct lease l, d;
	char name[LEASE_KEY_MAX], why[160] = "";
	char *v;

	memset(&l, 0, sizeof(l));
	l.has_v4 = true;
	net_parse("10.244.3.0/24", &l.subnet);
	addr_parse("10.0.0.1", &l.public_ip);
	strcpy(l.backend_type, "vxlan");
	l.data.present = true;
	l.data.vni = 1;
	mac_parse("aa:bb:cc:dd:ee:ff", l.data.mac);
	lease_key_name(&l, name, sizeof(name));
	CHECK("lease: the key of an IPv4 lease", !strcmp(name, "10.244.3.0-24"), "%s", name);
	v = lease_value_encode(&l);
	CHECK("lease: the value is flanneld's, byte for byte",
	      v && !strcmp(v, "{\"PublicIP\":\"10.0.0.1\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"aa:bb:cc:dd:ee:ff\"}}"),
	      "%s", v ? v : "(null)");
	free(v);
	l.has_v6 = true;
	net_parse("fd00:0:0:3::/64", &l.subnet6);
	addr_parse("fd00::1", &l.public_ipv6);
	l.data6 = l.data;
	l.data6.mac[5] = 0x11;
	lease_key_name(&l, name, sizeof(name));
	CHECK("lease: the key of a dual-stack lease", !strcmp(name, "10.244.3.0-24&fd00:0:0:3::-64"), "%s", name);
	v = lease_value_encode(&l);
	CHECK("lease: the dual-stack value",
	      v && !strcmp(v, "{\"PublicIP\":\"10.0.0.1\",\"PublicIPv6\":\"fd00::1\",\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"aa:bb:cc:dd:ee:ff\"},\"BackendV6Data\":{\"VNI\":1,\"VtepMAC\":\"aa:bb:cc:dd:ee:11\"}}"),
	      "%s", v ? v : "(null)");
	memset(&d, 0, sizeof(d));
	CHECK("lease: the value decodes to what was encoded",
	      v && lease_value_decode(v, strlen(v), &d, why, sizeof(why)) &&
	      addr_eq(&d.public_ip, &l.public_ip) && addr_eq(&d.public_ipv6, &l.public_ipv6) &&
	      !memcmp(d.data6.mac, l.data6.mac, 6) && d.data.vni == 1, "%s", why);
	free(v);
	memset(&d, 0, sizeof(d));
	CHECK("lease: keys parse back",
	      lease_key_parse("10.244.3.0-24&fd00:0:0:3::-64", &d) && d.has_v4 && d.has_v6 &&
	      net_eq(&d.subnet, &l.subnet) && net_eq(&d.subnet6, &l.subnet6), "no");
	CHECK("lease: what is not a subnet key",
	      !lease_key_parse("10.244.3.7-24", &d) && !lease_key_parse("10.244.3.0", &d) &&
	      !lease_key_parse("garbage", &d) && !lease_key_parse("10.244.3.0-33", &d) &&
	      !lease_key_parse("10.244.3.0-24&", &d) && !lease_key_parse("fd00::-24&10.0.0.0-8", &d),
	      "one parsed");
	v = "{\"backenddata\":{\"vtepmac\":\"02:00:00:00:00:01\",\"vni\":1},\"x\":1,\"publicip\":\"10.0.0.9\",\"BackendType\":\"vxlan\"}";
	CHECK("lease: another order and case of keys, and unknown ones, decode (Go does)",
	      lease_value_decode(v, strlen(v), &d, why, sizeof(why)) && d.data.present, "%s", why);
#define BAD(name, text, want)								\
	CHECK(name, !lease_value_decode(text, strlen(text), &d, why, sizeof(why)) &&	\
	      strstr(why, want), "%s", why)
	BAD("lease: not JSON", "{\"PublicIP\":", "not JSON");
	BAD("lease: an IPv6 PublicIP", "{\"PublicIP\":\"fd00::1\"}", "PublicIP is not an IPv4 address");
	BAD("lease: a bad VtepMAC", "{\"PublicIP\":\"10.0.0.1\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"zz\"}}",
	    "VtepMAC is not a MAC");
	BAD("lease: a multicast VtepMAC", "{\"PublicIP\":\"10.0.0.1\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"01:00:00:00:00:01\"}}",
	    "not a unicast");
	BAD("lease: a VNI out of range", "{\"PublicIP\":\"10.0.0.1\",\"BackendData\":{\"VNI\":16777216,\"VtepMAC\":\"02:00:00:00:00:01\"}}",
	    "VNI is not a VNI");
	BAD("lease: BackendData not an object", "{\"PublicIP\":\"10.0.0.1\",\"BackendData\":[]}", "not an object");
}

static unsigned int pick_last(unsigned int n)
{
	return n - 1;
}

static void test_alloc(void)
{
	struct netconfig c;
	struct ipnet taken[3], got;
	char err[256];

	parse("{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}", &c, err);
	CHECK("alloc: a pick among the first 100 free subnets",
	      alloc_subnet(&c.v4, NULL, 0, pick_last, &got) && !strcmp(net_str(&got), "10.244.100.0/24"),
	      "%s", net_str(&got));
	net_parse("10.244.1.0/24", &taken[0]);
	net_parse("10.244.0.0/20", &taken[1]);	/* an overlapping bigger one */
	CHECK("alloc: taken and overlapped subnets are skipped",
	      alloc_subnet(&c.v4, taken, 2, pick_last, &got) && !strcmp(net_str(&got), "10.244.115.0/24"),
	      "%s", net_str(&got));
	parse("{\"Network\":\"10.1.2.0/25\",\"Backend\":{\"Type\":\"vxlan\"}}", &c, err);
	net_parse("10.1.2.32/27", &taken[0]);
	net_parse("10.1.2.64/27", &taken[1]);
	net_parse("10.1.2.96/27", &taken[2]);
	CHECK("alloc: out of subnets", !alloc_subnet(&c.v4, taken, 3, pick_last, &got), "got %s", net_str(&got));
	net_parse("10.1.2.0/27", &got);
	CHECK("alloc: the first subnet does not fit the plan (flannel skips it)",
	      !alloc_subnet_fits(&c.v4, &got), "it fits");
	net_parse("10.1.2.32/26", &got);
	CHECK("alloc: a subnet of another length does not fit", !alloc_subnet_fits(&c.v4, &got), "it fits");
}

int main(void)
{
	test_addr();
	test_config();
	test_lease();
	test_alloc();
	printf("%d passed, %d failed\n", passes, fails);
	return fails ? 1 : 0;
}
