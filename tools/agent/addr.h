/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Addresses and prefixes of both families, and the arithmetic a subnet
 * lease needs: parse, print, contain, overlap, step to the next subnet.
 * An IPv4 address is kept in the first 4 bytes; arithmetic is done on a
 * 128-bit integer so that one set of functions serves both families.
 */
#ifndef OVL_AGENT_ADDR_H
#define OVL_AGENT_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#define ADDR_STRLEN	INET6_ADDRSTRLEN
#define NET_STRLEN	(INET6_ADDRSTRLEN + 4)
#define MAC_STRLEN	18

struct ipaddr {
	int family;		/* AF_INET, AF_INET6; 0 = none */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t b[16];
	};
};

struct ipnet {
	struct ipaddr ip;	/* the network address: host bits zero */
	int plen;
};

/* Bits in an address of the family: 32 or 128. */
int addr_bits(int family);
/* Bytes in an address of the family: 4 or 16. */
size_t addr_len(int family);
bool addr_parse(const char *s, struct ipaddr *a);
/* family must match: "10.0.0.1" is not an AF_INET6 address. */
bool addr_parse_family(const char *s, int family, struct ipaddr *a);
const char *addr_fmt(const struct ipaddr *a, char *buf);
bool addr_eq(const struct ipaddr *a, const struct ipaddr *b);
bool addr_is_unspec(const struct ipaddr *a);
void addr_from_bytes(struct ipaddr *a, int family, const void *bytes);

/* "10.244.0.0/16"; host bits are cleared, as Go's net.ParseCIDR does. */
bool net_parse(const char *s, struct ipnet *n);
const char *net_fmt(const struct ipnet *n, char *buf);
bool net_contains(const struct ipnet *n, const struct ipaddr *a);
bool net_contains_net(const struct ipnet *outer, const struct ipnet *inner);
bool net_overlaps(const struct ipnet *a, const struct ipnet *b);
bool net_eq(const struct ipnet *a, const struct ipnet *b);
/* The subnet of the same length after n; false past the end of the space. */
bool net_next(const struct ipnet *n, struct ipnet *next);
/* The last subnet of length plen inside n. */
void net_last_subnet(const struct ipnet *n, int plen, struct ipnet *last);
/* The address n + k (k counted in addresses). */
void net_host(const struct ipnet *n, unsigned int k, struct ipaddr *a);
/* Compare the network addresses: <0, 0, >0. */
int addr_cmp(const struct ipaddr *a, const struct ipaddr *b);
/* Is the address aligned to a plen boundary? */
bool addr_aligned(const struct ipaddr *a, int plen);

bool mac_parse(const char *s, uint8_t mac[6]);
const char *mac_fmt(const uint8_t mac[6], char *buf);
/* A MAC a VTEP can have: unicast and not all zeros. */
bool mac_is_valid_unicast(const uint8_t mac[6]);

#endif
