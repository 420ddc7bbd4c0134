// SPDX-License-Identifier: GPL-2.0
/*
 * "ip -s -d link show" of an ovl device: the OVL_XSTATS_* counters.
 *
 * ip 6.1 hands IFLA_INFO_XSTATS to link_util.print_xstats when -s and -d
 * are both given, inside a JSON object "info_xstats".  ovl nests one u64
 * attribute per counter there.  Text: one line per group, "name value"
 * pairs, with the JSON keys as names; counters the kernel did not send
 * (an older module) are left out rather than shown as 0.
 */
#include "link_ovl.h"
#include "../include/ovl-xstats.h"

/* Text line a counter goes on: rx, tx, fdb, then the socket's. */
static int line_of(int type)
{
	if (type >= OVL_XSTATS_SOCK_RX_PACKETS)
		return 4;
	if (type >= OVL_XSTATS_FDB_LEARNED)
		return 3;
	if (type >= OVL_XSTATS_TX_DROP_NO_DEST)
		return 2;
	return 1;
}

void ovl_print_xstats(struct link_util *lu, FILE *f, struct rtattr *xstats)
{
	struct rtattr *tb[OVL_XSTATS_MAX + 1] = { NULL };
	struct rtattr *a;
	int rem, type, line = 0;

	(void)lu;
	(void)f;
	rem = RTA_PAYLOAD(xstats);
	for (a = RTA_DATA(xstats); RTA_OK(a, rem); a = RTA_NEXT(a, rem)) {
		type = a->rta_type & NLA_TYPE_MASK;
		if (type <= OVL_XSTATS_MAX && RTA_PAYLOAD(a) >= sizeof(__u64))
			tb[type] = a;
	}

	for (type = 0; type <= OVL_XSTATS_MAX; type++) {
		const char *name = ovl_xstat_names[type];
		char fmt[64];

		if (!name || !tb[type])
			continue;
		if (line_of(type) != line) {
			line = line_of(type);
			print_nl();
			print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s",
					   "    ");
		}
		snprintf(fmt, sizeof(fmt), "%s %%llu ", name);
		print_color_u64(PRINT_ANY, COLOR_NONE, name, fmt,
				rta_u64(tb[type]));
	}
	/* ip goes on with the device's other details: not on our line */
	if (line) {
		print_nl();
		print_color_string(PRINT_FP, COLOR_NONE, NULL, "%s", "    ");
	}
}
