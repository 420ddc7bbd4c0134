// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "log.h"

int log_verbosity;
static char last_problem[512];
static double last_problem_at;

static void vlog(const char *level, const char *fmt, va_list ap)
{
	struct timeval tv;
	struct tm tm;
	char when[32];
	char msg[1024];

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "%s.%03ldZ %s %s\n", when, (long)tv.tv_usec / 1000, level, msg);
	fflush(stderr);
	if (level[0] == 'W' || level[0] == 'E') {
		snprintf(last_problem, sizeof(last_problem), "%s", msg);
		last_problem_at = tv.tv_sec + tv.tv_usec / 1e6;
	}
}

#define LOG_FN(name, level)				\
void name(const char *fmt, ...)				\
{							\
	va_list ap;					\
	va_start(ap, fmt);				\
	vlog(level, fmt, ap);				\
	va_end(ap);					\
}

LOG_FN(log_info, "INFO")
LOG_FN(log_warn, "WARN")
LOG_FN(log_error, "ERROR")

void log_debug(int level, const char *fmt, ...)
{
	va_list ap;

	if (level > log_verbosity)
		return;
	va_start(ap, fmt);
	vlog("DEBUG", fmt, ap);
	va_end(ap);
}

const char *log_last_problem(double *when)
{
	*when = last_problem_at;
	return last_problem;
}
