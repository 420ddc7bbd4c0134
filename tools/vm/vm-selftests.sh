#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM (started by check.sh through run.sh): the selftests,
# then one more case: the kernel log must hold no WARN/BUG/Oops/lockdep
# report, since a module can misbehave while every test still passes.
# On the debug kernel also a kmemleak case (tools/vm/kmemleak.sh).
# OVL_SELFTESTS, if set, names the scripts to run (run.sh's arguments).
# Exits with the selftests' status.
cd "$(dirname "$0")/../.." || exit 1
sh tools/vm/kmemleak.sh start
# shellcheck disable=SC2086
sh selftests/run.sh ${OVL_SELFTESTS:-}
rc=$?
sh tools/vm/kmemleak.sh check
bad=$(dmesg | grep -E 'WARNING:|BUG:|Oops|general protection fault|kernel BUG|UBSAN|KASAN|possible recursive locking|circular locking|refcount_t:|list_(add|del) corruption|unregister_netdevice: waiting' | head -n 5)
if [ -z "$bad" ]; then
	echo "ok kernel log: no WARN/BUG/Oops"
else
	echo "FAIL kernel log: $(echo "$bad" | head -n 1)"
	dmesg | tail -n 60 | sed 's/^/  dmesg: /'
fi
exit $rc
