/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VXLAN Group Based Policy (draft-smith-vxlan-group-policy), as the
 * kernel's vxlan carries it (IFLA_OVL_GBP, "gbp"):
 *
 *  |G|R|R|R|I|R|R|R|R|D|R|R|A|R|R|R|        Group Policy ID        |
 *
 * G: a Group Policy ID is present; D: the receiver must not learn the
 * source; A: the policy has been applied.  skb->mark holds D, A and the
 * ID at the same bit positions as the header's first word, so the
 * mapping is a mask both ways.  Header words here are in host order.
 */
#ifndef _OVL_GBP_H
#define _OVL_GBP_H

#include <linux/bits.h>
#include <linux/types.h>

#define OVL_GBP_FLAG		BIT(31)
#define OVL_GBP_DONT_LEARN	BIT(22)
#define OVL_GBP_APPLIED		BIT(19)
#define OVL_GBP_ID_MASK		0xffffU
#define OVL_GBP_MASK		(OVL_GBP_DONT_LEARN | OVL_GBP_APPLIED | \
				 OVL_GBP_ID_MASK)

/* The GBP bits of the first header word for a frame carrying @mark: none
 * for a mark of 0, else G and the mark's D, A and ID (vxlan sets G for
 * any non-zero mark, even one with no bit inside the mask).
 */
static inline u32 ovl_gbp_hdr(u32 mark)
{
	return mark ? OVL_GBP_FLAG | (mark & OVL_GBP_MASK) : 0;
}

/* The mark a received header word gives the frame, or false when it
 * carries no Group Policy ID (the frame's mark is left alone then).
 */
static inline bool ovl_gbp_mark(u32 word, u32 *mark)
{
	if (!(word & OVL_GBP_FLAG))
		return false;
	*mark = word & OVL_GBP_MASK;
	return true;
}

#endif /* _OVL_GBP_H */
