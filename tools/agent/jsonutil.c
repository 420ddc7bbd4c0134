// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jsonutil.h"

json_object *json_get(json_object *obj, const char *key)
{
	json_object *v = NULL;

	if (!obj || !json_object_is_type(obj, json_type_object))
		return NULL;
	if (json_object_object_get_ex(obj, key, &v))
		return v;
	json_object_object_foreach(obj, k, val) {
		if (!strcasecmp(k, key))
			return val;
	}
	return NULL;
}

int json_get_str(json_object *obj, const char *key, const char **out)
{
	json_object *v = json_get(obj, key);

	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	*out = json_object_get_string(v);
	return 1;
}

int json_get_int(json_object *obj, const char *key, int64_t *out)
{
	json_object *v = json_get(obj, key);

	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return -1;
	errno = 0;
	*out = json_object_get_int64(v);
	return errno ? -1 : 1;
}

int json_get_bool(json_object *obj, const char *key, bool *out)
{
	json_object *v = json_get(obj, key);

	if (!v)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return -1;
	*out = json_object_get_boolean(v);
	return 1;
}

bool json_int64_field(json_object *obj, const char *key, int64_t *out)
{
	json_object *v = NULL;
	const char *s;
	char *end;

	if (!json_object_object_get_ex(obj, key, &v))
		return false;
	if (json_object_is_type(v, json_type_int)) {
		*out = json_object_get_int64(v);
		return true;
	}
	if (!json_object_is_type(v, json_type_string))
		return false;
	s = json_object_get_string(v);
	errno = 0;
	*out = strtoll(s, &end, 10);
	return *s && !*end && !errno;
}

const char *json_compact(json_object *obj)
{
	return json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}

json_object *json_parse_text(const char *text, size_t len, const char **why)
{
	json_tokener *tok = json_tokener_new();
	enum json_tokener_error jerr;
	json_object *o;
	size_t end;

	if (!tok) {
		*why = "out of memory";
		return NULL;
	}
	o = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr == json_tokener_continue || (!o && jerr == json_tokener_success)) {
		*why = "the text ends inside it";
		return NULL;
	}
	if (!o || jerr != json_tokener_success) {
		json_object_put(o);
		*why = json_tokener_error_desc(jerr);
		return NULL;
	}
	while (end < len && strchr(" \t\r\n", text[end]) && text[end])
		end++;
	if (end != len) {
		json_object_put(o);
		*why = "text after the value";
		return NULL;
	}
	return o;
}
