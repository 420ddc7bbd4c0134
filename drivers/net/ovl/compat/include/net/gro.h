/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stand-in for <net/gro.h> on kernels that lack it (5.10): Kbuild
 * searches this directory after the kernel's own include directories, so
 * a kernel's <net/gro.h> always wins.  Before the header existed, the GRO
 * helpers ovl uses were in <linux/netdevice.h> and <net/udp.h>.
 */
#ifndef _OVL_COMPAT_NET_GRO_H
#define _OVL_COMPAT_NET_GRO_H

#include <linux/netdevice.h>
#include <net/udp.h>

#endif /* _OVL_COMPAT_NET_GRO_H */
