// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"

typedef unsigned __int128 u128;

int addr_bits(int family)
{
	return family == AF_INET ? 32 : 128;
}

size_t addr_len(int family)
{
	return family == AF_INET ? 4 : 16;
}

static u128 to_int(const struct ipaddr *a)
{
	size_t n = addr_len(a->family);
	u128 v = 0;

	for (size_t i = 0; i < n; i++)
		v = (v << 8) | a->b[i];
	return v;
}

static void from_int(struct ipaddr *a, int family, u128 v)
{
	size_t n = addr_len(family);

	memset(a, 0, sizeof(*a));
	a->family = family;
	for (size_t i = n; i-- > 0; v >>= 8)
		a->b[i] = (uint8_t)v;
}

/* All ones over the family's width. */
static u128 width_mask(int family)
{
	int bits = addr_bits(family);

	return bits == 128 ? ~(u128)0 : (((u128)1 << bits) - 1);
}

/* The mask of a prefix of length plen, as an integer of the family's width. */
static u128 mask_of(int family, int plen)
{
	int bits = addr_bits(family);

	if (plen <= 0)
		return 0;
	if (plen >= bits)
		return width_mask(family);
	return width_mask(family) & ~((((u128)1) << (bits - plen)) - 1);
}

bool addr_parse(const char *s, struct ipaddr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->v4) == 1) {
		a->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, &a->v6) == 1) {
		a->family = AF_INET6;
		return true;
	}
	return false;
}

bool addr_parse_family(const char *s, int family, struct ipaddr *a)
{
	return addr_parse(s, a) && a->family == family;
}

const char *addr_fmt(const struct ipaddr *a, char *buf)
{
	if (!a->family || !inet_ntop(a->family, a->b, buf, ADDR_STRLEN))
		snprintf(buf, ADDR_STRLEN, "none");
	return buf;
}

bool addr_eq(const struct ipaddr *a, const struct ipaddr *b)
{
	return a->family == b->family &&
	       !memcmp(a->b, b->b, addr_len(a->family));
}

bool addr_is_unspec(const struct ipaddr *a)
{
	return !a->family || to_int(a) == 0;
}

void addr_from_bytes(struct ipaddr *a, int family, const void *bytes)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	memcpy(a->b, bytes, addr_len(family));
}

int addr_cmp(const struct ipaddr *a, const struct ipaddr *b)
{
	u128 x, y;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	x = to_int(a);
	y = to_int(b);
	return x < y ? -1 : x > y;
}

bool addr_aligned(const struct ipaddr *a, int plen)
{
	return (to_int(a) & ~mask_of(a->family, plen) & width_mask(a->family)) == 0;
}

bool net_parse(const char *s, struct ipnet *n)
{
	char buf[NET_STRLEN + 8];
	const char *slash = strchr(s, '/');
	char *end;
	long plen;

	if (!slash || (size_t)(slash - s) >= sizeof(buf) || !slash[1])
		return false;
	memcpy(buf, s, slash - s);
	buf[slash - s] = '\0';
	if (!addr_parse(buf, &n->ip))
		return false;
	if (slash[1] < '0' || slash[1] > '9')
		return false;
	plen = strtol(slash + 1, &end, 10);
	if (*end || plen < 0 || plen > addr_bits(n->ip.family))
		return false;
	n->plen = (int)plen;
	from_int(&n->ip, n->ip.family, to_int(&n->ip) & mask_of(n->ip.family, n->plen));
	return true;
}

const char *net_fmt(const struct ipnet *n, char *buf)
{
	char a[ADDR_STRLEN];

	snprintf(buf, NET_STRLEN, "%s/%d", addr_fmt(&n->ip, a), n->plen);
	return buf;
}

bool net_contains(const struct ipnet *n, const struct ipaddr *a)
{
	u128 m = mask_of(n->ip.family, n->plen);

	return a->family == n->ip.family && (to_int(a) & m) == to_int(&n->ip);
}

bool net_contains_net(const struct ipnet *outer, const struct ipnet *inner)
{
	return inner->plen >= outer->plen && net_contains(outer, &inner->ip);
}

bool net_overlaps(const struct ipnet *a, const struct ipnet *b)
{
	return net_contains_net(a, b) || net_contains_net(b, a);
}

bool net_eq(const struct ipnet *a, const struct ipnet *b)
{
	return a->plen == b->plen && addr_eq(&a->ip, &b->ip);
}

bool net_next(const struct ipnet *n, struct ipnet *next)
{
	int bits = addr_bits(n->ip.family);
	u128 step, v = to_int(&n->ip);

	if (n->plen == 0)
		return false;
	step = (u128)1 << (bits - n->plen);
	if (v > width_mask(n->ip.family) - step)
		return false;
	from_int(&next->ip, n->ip.family, v + step);
	next->plen = n->plen;
	return true;
}

void net_last_subnet(const struct ipnet *n, int plen, struct ipnet *last)
{
	int bits = addr_bits(n->ip.family);
	/* A /0 spans the whole space: 2^bits, which wraps to 0 for IPv6. */
	u128 span = bits - n->plen >= 128 ? 0 : (u128)1 << (bits - n->plen);
	u128 step = (u128)1 << (bits - plen);

	from_int(&last->ip, n->ip.family, to_int(&n->ip) + span - step);
	last->plen = plen;
}

void net_host(const struct ipnet *n, unsigned int k, struct ipaddr *a)
{
	from_int(a, n->ip.family, to_int(&n->ip) + k);
}

bool mac_parse(const char *s, uint8_t mac[6])
{
	static const char hex[] = "0123456789abcdef";

	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 6; i++) {
		const char *h = strchr(hex, s[3 * i] | 0x20);
		const char *l = strchr(hex, s[3 * i + 1] | 0x20);

		if (!s[3 * i] || !s[3 * i + 1] || !h || !l ||
		    (i < 5 && s[3 * i + 2] != ':'))
			return false;
		mac[i] = (uint8_t)((h - hex) << 4 | (l - hex));
	}
	return true;
}

const char *mac_fmt(const uint8_t mac[6], char *buf)
{
	snprintf(buf, MAC_STRLEN, "%02x:%02x:%02x:%02x:%02x:%02x",
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

bool mac_is_valid_unicast(const uint8_t mac[6])
{
	static const uint8_t zero[6];

	return !(mac[0] & 1) && memcmp(mac, zero, 6);
}
