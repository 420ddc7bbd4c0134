#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make soak: selftests/soak.sh for DURATION seconds in one VM on a
# checker kernel (default the debug kernel: KASAN, lockdep, kmemleak;
# "kcsan": the data-race detector), 2 vCPUs so that the data path and
# the configuration run side by side, then vm-selftests.sh's kernel-log,
# kmemleak and data-race cases.
#   soak.sh DURATION [debug|kcsan|SERIES]
# Builds the kernel (debug-kernel.sh) and ovl.ko for it if need be.  The
# log: $OVL_CACHE/logs/soak-KERNEL.log; ends with the summary line.
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${OVL_CACHE:-$HOME/.cache/ovl}
. "$here/kernels.sh"
usage() { echo "usage: $0 DURATION [debug|kcsan|SERIES]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
duration=$1
k=${2:-debug}
case $duration in ''|*[!0-9]*|0) usage ;; esac
ovl_kernel_check --debug "$k" || exit 2

cd "$repo" || exit 1
if ovl_kernel_checker "$k"; then
	sh "$here/debug-kernel.sh" "$k" > /dev/null || exit 1
fi
b=$cache/build/soak-$k
mkdir -p "$cache/logs"
sh "$here/build-module.sh" "$k" "$b" > "$cache/logs/build-soak-$k.log" 2>&1 ||
	{ echo "$0: ovl.ko did not build ($cache/logs/build-soak-$k.log)" >&2; exit 1; }
make -s tools || exit 1

# The script's own bound: the duration, plus setup, teardown and a
# debug kernel's slowness; the VM's: that plus booting and the checks.
log=$cache/logs/soak-$k.log
echo "soak: $duration s on the $k kernel (log: $log)"
OVL_KO=$b/ovl.ko OVL_SELFTESTS=soak SOAK_DURATION=$duration \
OVL_TEST_TIMEOUT=$((duration + 1800)) \
OVL_VM_ENV="OVL_KO OVL_SELFTESTS SOAK_DURATION SOAK_INTERVAL OVL_TEST_TIMEOUT" \
	sh "$here/run.sh" -k "$k" --smp 2 --timeout $((duration + 2700)) \
	-- sh tools/vm/vm-selftests.sh 2>&1 | tee "$log"
grep -q '^FAIL \|^[0-9]* passed, [1-9]' "$log" && exit 1
grep -q '^[0-9]* passed, 0 failed' "$log"
