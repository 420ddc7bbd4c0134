/* SPDX-License-Identifier: GPL-2.0 */
/*
 * json-c helpers for reading what flannel's Go code writes.  Go's
 * encoding/json matches object keys to struct fields case-insensitively
 * (an exact match first), so flannel accepts "network" for "Network":
 * json_get() does the same.
 */
#ifndef OVL_AGENT_JSONUTIL_H
#define OVL_AGENT_JSONUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

/* The member named key, matched as Go matches it; NULL if absent. */
json_object *json_get(json_object *obj, const char *key);
/*
 * Typed members.  Each returns 0 when absent (leaving *out untouched), 1
 * when present and of the right type, -1 when present with another type.
 */
int json_get_str(json_object *obj, const char *key, const char **out);
int json_get_int(json_object *obj, const char *key, int64_t *out);
int json_get_bool(json_object *obj, const char *key, bool *out);
/* An int64 the etcd gateway sends as a decimal string ("123"), or a number. */
bool json_int64_field(json_object *obj, const char *key, int64_t *out);
/*
 * Parse a whole JSON document (surrounding white space allowed); NULL with
 * the reason in *why (a static string) if it is not one.
 */
json_object *json_parse_text(const char *text, size_t len, const char **why);
/* The JSON text of obj, compact, with '/' not escaped (as Go writes it). */
const char *json_compact(json_object *obj);

#endif
