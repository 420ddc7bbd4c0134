#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the VM (started by check.sh through run.sh): the selftests,
# then one more case: the kernel log must hold no WARN/BUG/Oops/lockdep
# report, since a module can misbehave while every test still passes.
# On the debug kernel also a kmemleak case (tools/vm/kmemleak.sh).  On
# the KCSAN kernel a data-race case instead of "BUG:": a report with a
# frame of ovl fails it; the core kernel's own reports (6.1 has some)
# are counted and listed, not judged.
# OVL_SELFTESTS, if set, names the scripts to run (run.sh's arguments).
# Exits with the selftests' status.
cd "$(dirname "$0")/../.." || exit 1
sh tools/vm/kmemleak.sh start
# shellcheck disable=SC2086
sh selftests/run.sh ${OVL_SELFTESTS:-}
rc=$?
sh tools/vm/kmemleak.sh check
dmesg > /tmp/vm-dmesg.txt
bad=$(grep -v 'BUG: KCSAN: ' /tmp/vm-dmesg.txt |
	grep -E 'WARNING:|BUG:|Oops|general protection fault|kernel BUG|UBSAN|KASAN|possible recursive locking|circular locking|refcount_t:|list_(add|del) corruption|unregister_netdevice: waiting' | head -n 5)
if [ -z "$bad" ]; then
	echo "ok kernel log: no WARN/BUG/Oops"
else
	echo "FAIL kernel log: $(echo "$bad" | head -n 1)"
	tail -n 60 /tmp/vm-dmesg.txt | sed 's/^/  dmesg: /'
fi
if [ "${OVL_KERNEL:-}" = kcsan ]; then
	# Each report runs from its "BUG: KCSAN:" line to the line of '='
	# that closes it; it is ovl's if a frame in it is ("[ovl]").  The
	# titles carry the script that was running (run.sh's marker).
	awk '
		/ovl-selftests\[[0-9]*\]: begin / { script = $NF }
		/BUG: KCSAN: / { inr = 1; n++; title[n] = $0
			sub(/.*BUG: KCSAN: /, "", title[n]); title[n] = title[n] " (" script ")"; next }
		inr && /\[ovl\]/ { ours[n] = 1 }
		inr && /=====/ { inr = 0 }
		END {
			for (i = 1; i <= n; i++) {
				if (i in ours) { m++; print "ovl " title[i] }
				else print "core " title[i]
			}
			printf "total %d %d\n", n + 0, m + 0
		}' /tmp/vm-dmesg.txt > /tmp/vm-kcsan.txt
	# shellcheck disable=SC2046 # the two counts
	set -- $(sed -n 's/^total //p' /tmp/vm-kcsan.txt)
	grep '^core ' /tmp/vm-kcsan.txt | sort | uniq -c | sed 's/^/# kcsan: not ovl:/'
	if [ ! -e /sys/kernel/debug/kcsan ]; then
		echo "FAIL kcsan: this kernel has no KCSAN (no /sys/kernel/debug/kcsan)"
	elif [ "$2" = 0 ]; then
		echo "ok kcsan: no data race in ovl ($1 reports in all, none with an ovl frame)"
	else
		echo "FAIL kcsan: $2 data-race reports with an ovl frame:"
		grep '^ovl ' /tmp/vm-kcsan.txt | sort | uniq -c | sed 's/^/  /'
		awk '/BUG: KCSAN: / { buf = ""; inr = 1 }
			inr { buf = buf "\n" $0 }
			inr && /=====/ { inr = 0; if (buf ~ /\[ovl\]/) print buf }' \
			/tmp/vm-dmesg.txt | head -n 80 | sed 's/^/  dmesg: /'
	fi
fi
exit $rc
