// SPDX-License-Identifier: GPL-2.0
/*
 * Strict parsers for command-line words.  Every value is checked here,
 * before anything is sent, so that bad input changes nothing.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovlctl.h"
#include "../../include/uapi/linux/ovl.h"

/* Decimal only: "010" or "0x10" would be surprising for a VNI or a port. */
bool parse_u32(const char *s, uint32_t max, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool parse_ip(const char *s, struct ipaddr *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, s, &ip->a.v4) == 1)
		ip->family = AF_INET;
	else if (inet_pton(AF_INET6, s, &ip->a.v6) == 1)
		ip->family = AF_INET6;
	return ip->family != 0;
}

bool ip_is_multicast(const struct ipaddr *ip)
{
	if (ip->family == AF_INET)
		return IN_MULTICAST(ntohl(ip->a.v4.s_addr));
	return IN6_IS_ADDR_MULTICAST(&ip->a.v6);
}

static bool ip_is_any(const struct ipaddr *ip)
{
	if (ip->family == AF_INET)
		return ip->a.v4.s_addr == 0;
	return IN6_IS_ADDR_UNSPECIFIED(&ip->a.v6);
}

bool parse_mac(const char *s, uint8_t mac[6])
{
	int i;

	/* Exactly xx:xx:xx:xx:xx:xx, the form ip and bridge print. */
	if (strlen(s) != 17)
		return false;
	for (i = 0; i < 6; i++) {
		const char *p = s + 3 * i;

		if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]) ||
		    (i < 5 && p[2] != ':'))
			return false;
		mac[i] = (uint8_t)strtoul((char[3]){ p[0], p[1], 0 }, NULL, 16);
	}
	return true;
}

bool parse_onoff(const char *s, bool *out)
{
	if (!strcmp(s, "on")) {
		*out = true;
		return true;
	}
	if (!strcmp(s, "off")) {
		*out = false;
		return true;
	}
	return false;
}

const char *fmt_ip(int family, const void *addr, char *buf, size_t len)
{
	if (!inet_ntop(family, addr, buf, len))
		snprintf(buf, len, "?");
	return buf;
}

const char *fmt_mac(const uint8_t *m, char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	return buf;
}

const char *need_arg(int *i, int argc, char **argv)
{
	if (*i + 1 >= argc)
		usage_err("\"%s\" needs a value", argv[*i]);
	return argv[++*i];
}

int parse_port_arg(const char *s, uint16_t *port)
{
	uint32_t v;

	if (!parse_u32(s, 65535, &v) || v == 0)
		usage_err("invalid port \"%s\" (1-65535)", s);
	*port = (uint16_t)v;
	return 0;
}

int parse_vni_arg(const char *s, uint32_t *vni)
{
	if (!parse_u32(s, OVL_VNI_MAX, vni))
		usage_err("invalid vni \"%s\" (0-%u)", s, OVL_VNI_MAX);
	return 0;
}

/* A remote VTEP, or a multicast group (the device's own remote joins
 * it; the kernel wants "dev" for that).
 */
void parse_remote_ip(const char *s, struct ipaddr *ip)
{
	if (!parse_ip(s, ip))
		usage_err("invalid address \"%s\"", s);
	if (ip_is_any(ip))
		usage_err("remote %s: not a unicast address", s);
}

/* A device name as the kernel would accept it. */
void check_ifname(const char *s)
{
	if (!*s || strlen(s) >= 16 || strchr(s, '/') || strchr(s, ' ') ||
	    !strcmp(s, ".") || !strcmp(s, ".."))
		usage_err("invalid device name \"%s\"", s);
}
