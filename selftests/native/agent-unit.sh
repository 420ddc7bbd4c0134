#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ovl-agent's unit tests (tools/agent/tests/unit.c), on this host: address
# arithmetic, flannel's config rules and defaults, the lease key and
# value byte for byte, the subnet choice.  They print the selftests'
# [PASS]/[FAIL] lines themselves.

top=$(cd "$(dirname "$0")/../.." && pwd)
if ! make -s -C "$top/tools/agent" unit-test >/dev/null 2>&1; then
	echo "[FAIL] build tools/agent/unit-test: $(make -s -C "$top/tools/agent" unit-test 2>&1 | tail -n 3)"
	exit 1
fi
"$top/tools/agent/unit-test"
