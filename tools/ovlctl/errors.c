// SPDX-License-Identifier: GPL-2.0
/*
 * ovlctl's error messages: one line on stderr, "ovlctl: ...", for the
 * commands, the parsers and the netlink layer alike.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ovlctl.h"

void err_msg(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("ovlctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs("ovlctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (try \"ovlctl help\")\n", stderr);
	exit(EXIT_USAGE);
}
