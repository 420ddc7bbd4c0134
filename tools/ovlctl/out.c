// SPDX-License-Identifier: GPL-2.0
/*
 * Output with one set of calls for both formats, like iproute2's print_*:
 * plain text is "key value" words separated by spaces, and the same calls
 * produce a single JSON document with -j.  Keys are the documented JSON
 * field names (ovlctl.8), so renaming one is an interface change.
 */
#include <stdarg.h>
#include <stdio.h>

#include "ovlctl.h"

#define MAX_DEPTH 8

bool opt_json;

static int depth;
static bool first[MAX_DEPTH] = { true };
static bool line_start = true;
static bool started;
static int indent;

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* Comma and key before a JSON value; key is NULL inside arrays. */
static void json_key(const char *key)
{
	started = true;
	if (!first[depth])
		putchar(',');
	first[depth] = false;
	if (key) {
		json_string(key);
		putchar(':');
	}
}

static void plain_sep(void)
{
	if (!line_start)
		putchar(' ');
	else
		printf("%*s", indent, "");
	line_start = false;
}

/* Plain output: spaces before each following line's first word. */
void out_indent(int n)
{
	indent = n;
}

static void open_container(const char *key, char c)
{
	if (!opt_json)
		return;
	json_key(key);
	putchar(c);
	if (depth < MAX_DEPTH - 1)
		depth++;
	first[depth] = true;
}

static void close_container(char c)
{
	if (!opt_json)
		return;
	putchar(c);
	if (depth > 0)
		depth--;
}

void out_begin_array(const char *key) { open_container(key, '['); }
void out_end_array(void) { close_container(']'); }
void out_begin_object(const char *key) { open_container(key, '{'); }
void out_end_object(void) { close_container('}'); }

void out_str(const char *key, const char *val)
{
	if (opt_json) {
		json_key(key);
		json_string(val);
		return;
	}
	plain_sep();
	printf("%s %s", key, val);
}

void out_u64(const char *key, uint64_t val)
{
	if (opt_json) {
		json_key(key);
		printf("%llu", (unsigned long long)val);
		return;
	}
	plain_sep();
	printf("%s %llu", key, (unsigned long long)val);
}

void out_bool(const char *key, bool val)
{
	if (opt_json) {
		json_key(key);
		printf("%s", val ? "true" : "false");
		return;
	}
	plain_sep();
	printf("%s %s", key, val ? "on" : "off");
}

/* Free text, plain output only. */
void out_plain(const char *fmt, ...)
{
	va_list ap;

	if (opt_json)
		return;
	plain_sep();
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void out_newline(void)
{
	if (opt_json || line_start)
		return;
	putchar('\n');
	line_start = true;
}

void out_finish(void)
{
	if (opt_json && started)
		putchar('\n');
	else
		out_newline();
	fflush(stdout);
}
