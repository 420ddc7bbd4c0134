// SPDX-License-Identifier: GPL-2.0
/*
 * link_ovl.so: teaches ip(8) the link kind "ovl".
 *
 * ip dlopen()s $IP_LIB_DIR/link_<kind>.so (default /usr/lib/ip) for a kind
 * it has no built-in support for and uses the struct link_util named
 * <kind>_link_util.  This file holds that struct and the usage text; the
 * keywords are vxlan's, so that "type vxlan" and "type ovl" take the same
 * arguments.
 */
#include "link_ovl.h"

#define OVL_CAT_(a, b)	a##b
#define OVL_CAT(a, b)	OVL_CAT_(a, b)

#ifndef OVL_EXPORT
#define OVL_EXPORT
#endif

void ovl_usage(FILE *f)
{
	fprintf(f,
		"Usage: ... " KIND_NAME " [ id VNI ]\n"
		"\t\t[ { remote | group } ADDR ]\n"
		"\t\t[ local ADDR ]\n"
		"\t\t[ ttl TTL ]\n"
		"\t\t[ tos TOS ]\n"
		"\t\t[ df DF ]\n"
		"\t\t[ flowlabel LABEL ]\n"
		"\t\t[ dev PHYS_DEV ]\n"
		"\t\t[ dstport PORT ]\n"
		"\t\t[ srcport MIN MAX ]\n"
		"\t\t[ [no]learning ]\n"
		"\t\t[ ageing { SECONDS | none } ]\n"
		"\t\t[ maxaddress { NUMBER | unlimited } ]\n"
		"\t\t[ [no]udpcsum ]\n"
		"\t\t[ [no]udp6zerocsumtx ]\n"
		"\t\t[ [no]udp6zerocsumrx ]\n"
		"\t\t[ [no]localbypass ]\n"
		"\t\t[ [no]proxy ]\n"
		"\t\t[ [no]l2miss ]\n"
		"\t\t[ [no]l3miss ]\n"
		"\t\t[ [no]rsc ]\n"
		"\t\t[ gbp ]\n"
		"\n"
		"Where:\tVNI\t:= 0-16777215 (without it the device stays down)\n"
		"\tADDR\t:= IP_ADDRESS, multicast for group only (0.0.0.0 or ::\n"
		"\t\t   clears it); a group needs dev\n"
		"\tTOS\t:= { NUMBER | inherit }\n"
		"\tTTL\t:= { 1..255 | auto | inherit }\n"
		"\tDF\t:= { unset | set | inherit }\n"
		"\tLABEL\t:= 0-1048575\n"
		"\tPORT\t:= 0-65535 (dstport 0: the default, %u)\n"
		"\n"
		"Only the parameters given are sent; the kernel keeps the\n"
		"others (defaults on creation).  vxlan's remcsum*, external,\n"
		"gpe and vnifilter are not supported (their \"no\" forms are\n"
		"accepted).\n",
		OVL_DEFAULT_PORT);
}

static void ovl_print_help(struct link_util *lu, int argc, char **argv,
			   FILE *f)
{
	(void)lu;
	(void)argc;
	(void)argv;
	ovl_usage(f);
}

OVL_EXPORT struct link_util OVL_CAT(PLUGIN_KIND, _link_util) = {
	.id		= KIND_NAME,
	.maxattr	= IFLA_OVL_MAX,
	.parse_opt	= ovl_parse_opt,
	.print_opt	= ovl_print_opt,
	.print_xstats	= ovl_print_xstats,
	.print_help	= ovl_print_help,
};
