#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench: ovl vs kernel vxlan vs plain veth, measured in one VM run.
#
#   tools/bench/bench.sh [-k SERIES] [--reps N] [--secs S] [--fdb "SIZES"]
#                        [--prog N] [--cpu MODEL] [--profile] [--quick]
#                        [--agent] [--icount [SHIFT]] [--twin] [--no-gro]
#
# Builds ovl.ko, the iproute2 plugin and the traffic helpers from a copy of
# the working tree (in ~/.cache/ovl/bench, so the tree and other people's
# builds are left alone), boots the kernel under qemu (tools/vm/run.sh) and
# runs tools/bench/vm-bench.sh there.  Prints the table of medians and
# ratios and writes bench/results/<date>-<kernel>.json; the full log goes
# next to it (.log).  Documentation/performance.rst explains the method.
#
#   -k, --kernel   the guest kernel (default 6.1; env KERNEL)
#   --reps N       repetitions of each measurement (default 3, at least 3
#                  for a result worth quoting: the median is reported)
#   --secs S       seconds per traffic run (default 3)
#   --fdb SIZES    FDB sizes for the scaled runs (default "10000 100000")
#   --prog N       entries for the FDB programming test (default 100000)
#   --cpu MODEL    the guest's QEMU -cpu model (default max,erms=off,fsrm=off:
#                  TCG runs "rep movsb" a byte at a time, which made the
#                  kernel's copies most of a TCP run; without ERMS/FSRM the
#                  kernel copies with "rep movsq", as on CPUs without them)
#   --profile      add a perf cpu-clock profile of the UDP flood, if perf
#                  can sample in the guest
#   --quick        a smoke run: 1 repetition, 2 s, FDB 10000, 10000 entries
#   --agent        also ovl-agent's convergence (selftests/agent-scale.sh,
#                  on ovl and on vxlan in turn, each repetition): ms from
#                  the last write of a batch of leases (10, 90, 900, 1) to
#                  the last route on every host, and a restart's time to
#                  ready with 1001 leases; about 3 min per run under TCG
#   --icount [SHIFT]  the deterministic mode: the guest's clock counts the
#                  instructions it runs (qemu -icount shift=SHIFT,align=off,
#                  sleep=off, single-threaded TCG; SHIFT default 2: one
#                  instruction is 4 ns), so a rate is a cost per byte or
#                  packet in instructions and the host's load cannot move
#                  it; one vCPU; 5 repetitions and --twin unless told
#                  otherwise
#   --twin         a second ovl pair, ovl-b, in the same rounds: ovl
#                  against itself shows the run's noise floor
#   --no-gro       leave out the second underlay shape: veth, vxlan and
#                  ovl over veths with GRO on (NAPI on receive, as a NIC),
#                  where the tunnels' UDP GRO hooks merge the outer packets
# Exit status: 0 when every measurement produced a value.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${OVL_CACHE:-$HOME/.cache/ovl}

usage() {
	sed -n '3,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}
kernel=${KERNEL:-6.1} reps='' secs=3 fdb="10000 100000" prog=100000 profile=0 agent=0
cpu=max,erms=off,fsrm=off icount='' twin='' gro=1
while [ $# -gt 0 ]; do
	case $1 in
	-k|--kernel) [ $# -ge 2 ] || usage; kernel=$2; shift 2 ;;
	--reps) [ $# -ge 2 ] || usage; reps=$2; shift 2 ;;
	--secs) [ $# -ge 2 ] || usage; secs=$2; shift 2 ;;
	--fdb) [ $# -ge 2 ] || usage; fdb=$2; shift 2 ;;
	--prog) [ $# -ge 2 ] || usage; prog=$2; shift 2 ;;
	--cpu) [ $# -ge 2 ] || usage; cpu=$2; shift 2 ;;
	--profile) profile=1; shift ;;
	--quick) reps=1 secs=2 fdb=10000 prog=10000; shift ;;
	--agent) agent=1; shift ;;
	--icount)
		icount=2; shift
		case ${1:-} in [0-9]|10) icount=$1; shift ;; esac
		;;
	--twin) twin=1; shift ;;
	--no-gro) gro=0; shift ;;
	*) usage ;;
	esac
done
. "$repo/tools/vm/kernels.sh"
ovl_kernel_check "$kernel" || exit 2
# The deterministic mode: the guest's time is its instruction count
# (align=off: no pacing against the host's clock; sleep=off: an idle
# guest jumps to its next timer instead of waiting in real time), so
# what it measures does not depend on how fast or how loaded the host is.
icount_opts='' limit=2400 clock=host smp=2
if [ -n "$icount" ]; then
	icount_opts=shift=$icount,align=off,sleep=off
	clock="icount $icount_opts"
	limit=9000
	# One vCPU: under -icount the vCPUs take turns, one time slice each,
	# so a CPU that spins waiting for the other counts instructions that
	# are not the traffic's (and a 2-vCPU 6.1 guest never finished
	# bringing up its second CPU so).  On one the count is all the work.
	smp=1
	reps=${reps:-5} twin=${twin:-1}
fi
reps=${reps:-3} twin=${twin:-0}
for n in "$reps" "$secs" "$prog" $fdb; do
	case $n in ''|*[!0-9]*|0) echo "bench: not a positive number: '$n'" >&2; exit 2 ;; esac
done
[ "$prog" -le 1000000 ] || { echo "bench: --prog at most 1000000" >&2; exit 2; }
for n in $fdb; do
	[ "$n" -ge 2 ] && [ "$n" -le 1000000 ] ||
		{ echo "bench: FDB sizes from 2 to 1000000, not $n" >&2; exit 2; }
done

abi=$(sh "$repo/tools/vm/kernel-abi.sh" "$kernel")
kdir=$(sh "$repo/tools/vm/kernel-kdir.sh" "$kernel")
src=$cache/bench/$abi
out=$repo/bench/results
mkdir -p "$src" "$out"

# 1. Build from a copy: what is measured is the tree as it is now.
echo "bench: building ovl.ko for $abi and the tools in $src" >&2
rsync -a --delete --exclude=.git --exclude=.cache --exclude=bench/results \
	--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
	--exclude='.*.cmd' --exclude=modules.order --exclude=Module.symvers \
	--exclude='compat-generated.h*' --exclude='*.so' --exclude='*.a' \
	--exclude=tools/ovlctl/ovlctl \
	"$repo/" "$src/"
blog=$src/build.log
# The module with the kernel's own compiler (a chroot for another release).
if ! { (cd "$src" && sh "$repo/tools/vm/kbuild.sh" "$kernel" make -j2 module KDIR="$kdir") &&
	make -C "$src/tools/iproute2" &&
	make -C "$src/tools/bench" O="$src/tools/bench" &&
	{ [ "$agent" = 0 ] || make -C "$src/tools/agent"; }; } > "$blog" 2>&1; then
	tail -n 30 "$blog" >&2
	echo "bench: build failed ($blog)" >&2
	exit 1
fi

# 2. Measure in the VM.  2 vCPUs: sender and receiver can each have one.
stamp=$(date +%Y%m%d-%H%M%S)
log=$out/$stamp-$kernel.log
json=$out/$stamp-$kernel.json
commit=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
echo "bench: $kernel, $reps repetitions of $secs s, FDB sizes $fdb, programming $prog entries, clock $clock; log $log" >&2
{
	OVL_KO=$src/ovl.ko BENCH_BIN=$src/tools/bench IP_LIB_DIR=$src/tools/iproute2 \
	BENCH_REPS=$reps BENCH_SECS=$secs BENCH_FDB=$fdb BENCH_PROG=$prog \
	BENCH_PROFILE=$profile BENCH_AGENT=$agent BENCH_SRC=$src OVL_VM_CPU=$cpu \
	BENCH_TWIN=$twin BENCH_GRO=$gro OVL_VM_ICOUNT=$icount_opts BENCH_ICOUNT=$icount \
	OVL_VM_ENV="OVL_KO BENCH_BIN IP_LIB_DIR BENCH_REPS BENCH_SECS BENCH_FDB BENCH_PROG BENCH_PROFILE BENCH_AGENT BENCH_SRC BENCH_TWIN BENCH_GRO BENCH_ICOUNT" \
		sh "$repo/tools/vm/run.sh" -k "$kernel" --smp "$smp" --mem 2048 --timeout "$limit" \
		-- bash "$src/tools/bench/vm-bench.sh" 2>&1
	echo $? > "$src/vm.rc"
} | tee "$log"
vmrc=$(cat "$src/vm.rc")
grep -q '^BENCH ' "$log" || { echo "bench: the VM produced no measurement (exit $vmrc; $log)" >&2; exit 1; }

# 3. The table and the JSON.
echo
rc=0
python3 "$here/report.py" "$log" "$json" "kernel_series=$kernel" "commit=$commit" \
	"reps=$reps" "seconds=$secs" "fdb_sizes=$fdb" "prog_entries=$prog" \
	"date=$stamp" "agent=$agent" "twin=$twin" "gro=$gro" "clock=$clock" "cpu_model=$cpu" "host_cpus=$(nproc)" "host_load=$(cut -d' ' -f1-3 /proc/loadavg)" || rc=1
echo "bench: $json" >&2
if [ "$vmrc" != 0 ]; then
	echo "bench: the VM run ended with status $vmrc: the table is incomplete" >&2
	rc=1
fi
exit $rc
