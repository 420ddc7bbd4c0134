/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the packet fuzzer: a seeded PRNG (the same seed gives the
 * same packets on every machine, unlike rand()), big-endian stores and
 * IPv4/UDP header construction.
 */
#ifndef OVL_FUZZ_PKT_H
#define OVL_FUZZ_PKT_H

#include <stddef.h>
#include <stdint.h>

static uint64_t rnd_state;

/* splitmix64: good enough statistically, trivially reproducible. */
static inline uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A bijection of 32-bit values (murmur3's finaliser). */
static inline uint32_t mix32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x85ebca6bU;
	x ^= x >> 13;
	x *= 0xc2b2ae35U;
	x ^= x >> 16;
	return x;
}

static inline void rnd_seed(uint64_t seed)
{
	rnd_state = seed;
}

static inline uint64_t rnd64(void)
{
	rnd_state += 0x9e3779b97f4a7c15ULL;
	return mix64(rnd_state);
}

/* Uniform in [0, n); n = 0 gives 0. */
static inline uint32_t rnd_below(uint64_t n)
{
	return n ? rnd64() % n : 0;
}

static inline void rnd_bytes(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = rnd64();
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static inline uint16_t get16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

/*
 * An IPv4 header without options.  Addresses are in network order.  The
 * kernel's raw socket (IP_HDRINCL) rewrites tot_len and the checksum and
 * picks an ID when it is 0; they are set anyway for the UDP checksum.
 */
static inline void ip4_hdr(uint8_t *ip, uint32_t saddr, uint32_t daddr,
			   uint8_t tos, uint16_t len)
{
	ip[0] = 0x45;
	ip[1] = tos;
	put16(ip + 2, len);
	put16(ip + 4, 0);
	put16(ip + 6, 0);
	ip[8] = 64;
	ip[9] = 17;	/* UDP */
	put16(ip + 10, 0);
	__builtin_memcpy(ip + 12, &saddr, 4);
	__builtin_memcpy(ip + 16, &daddr, 4);
}

static inline uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += p[n - 1] << 8;
	return sum;
}

/* The UDP checksum over the pseudo-header and @len bytes at @udp (whose
 * checksum field must be 0); 0 is sent as 0xffff (RFC 768). */
static inline uint16_t udp4_csum(const uint8_t *ip, const uint8_t *udp,
				 uint16_t len)
{
	uint32_t sum = csum_add(0, ip + 12, 8);

	sum += 17 + len;
	sum = csum_add(sum, udp, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	return sum ? sum : 0xffff;
}

#endif /* OVL_FUZZ_PKT_H */
