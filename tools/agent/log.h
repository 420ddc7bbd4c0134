/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ovl-agent's log: one line per event on stderr, "TIME LEVEL message",
 * so that journald, a test and a person read the same thing.  -v N shows
 * the debug lines of level N and below (flanneld's klog verbosity).
 */
#ifndef OVL_AGENT_LOG_H
#define OVL_AGENT_LOG_H

#include <stdarg.h>

extern int log_verbosity;

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Shown only with -v LEVEL or more. */
void log_debug(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The last warning or error, for the status file ("" if none yet). */
const char *log_last_problem(double *when);

#endif
