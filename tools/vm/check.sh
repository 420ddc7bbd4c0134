#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The whole test suite, as `make check` runs it:  check.sh KERNEL...
#  1. per kernel (6.1, 6.12): build ovl.ko in a copy of the tree against that
#     kernel's headers; an error or ANY compiler warning fails;
#  2. build the tools on the host (make tools);
#  3. the native tests on the host (selftests/native/run.sh, if present);
#  4. per kernel: boot it (tools/vm/run.sh) and run selftests/run.sh with
#     OVL_KO=<that kernel's ovl.ko>, then check the kernel log.
# Test lines are prefixed with where they ran ([host], [native], [6.1]...).
# Ends with per-kernel totals and, as the very last line, the sum:
# "N passed, N failed, N skipped".  Exit 0 only if nothing failed.
# Environment: OVL_CHECK_PARALLEL=0 boots the kernels one after the other
# (each with 2 vCPUs) instead of together (1 vCPU each; faster on 2 cores);
# OVL_VM_TIMEOUT (seconds per VM, default 2400).
# check.sh --debug (make check-debug): the same, but for the native tests,
# on the debug kernel only (tools/vm/debug-kernel.sh builds it first: the
# first time 10-60 min), the scripts split into OVL_DEBUG_SHARDS (default
# 2) groups booted side by side, 1 vCPU each ([debug.1], [debug.2]...),
# 5400 s per VM (1800 s per script), each with a kmemleak case after its
# scripts.  The split balances the scripts' durations of the last debug
# run (logs/vm-debug.*.log; else the last 6.1 run's).  fuzz-rx and
# mac-flood send 50 000 packets there (FUZZ_PACKETS, MAC_FLOOD_PACKETS).
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${OVL_CACHE:-$HOME/.cache/ovl}
debug=0
if [ "${1:-}" = --debug ]; then
	[ $# = 1 ] || { echo "usage: $0 --debug" >&2; exit 2; }
	debug=1
	set -- debug
fi
shards=${OVL_DEBUG_SHARDS:-2}
case $shards in [1-9]) ;; *) echo "$0: OVL_DEBUG_SHARDS must be 1-9" >&2; exit 2 ;; esac
[ $# -ge 1 ] || { echo "usage: $0 6.1|6.12...|--debug" >&2; exit 2; }
for k in "$@"; do
	case $k in 6.1|6.12|debug) ;; *) echo "$0: unknown kernel '$k' (6.1, 6.12 or debug)" >&2; exit 2 ;; esac
done
parallel=${OVL_CHECK_PARALLEL:-1}
vm_timeout=${OVL_VM_TIMEOUT:-2400}
if [ "$debug" = 1 ]; then
	vm_timeout=${OVL_VM_TIMEOUT:-5400}
	# Each script runs ~5x slower there than run.sh's default allows.
	OVL_TEST_TIMEOUT=${OVL_TEST_TIMEOUT:-1800}
	# The floods are load tests, run in full on the stock kernels; here
	# they look for memory and locking errors, which 50 000 packets hit
	# as well as 300 000 (every flag byte, every kind of malformed
	# packet) at a 70th of the cost: a packet costs ~4 ms on this kernel.
	FUZZ_PACKETS=${FUZZ_PACKETS:-50000}
	MAC_FLOOD_PACKETS=${MAC_FLOOD_PACKETS:-50000}
	export OVL_TEST_TIMEOUT FUZZ_PACKETS MAC_FLOOD_PACKETS
	OVL_VM_ENV="${OVL_VM_ENV:-} OVL_TEST_TIMEOUT FUZZ_PACKETS MAC_FLOOD_PACKETS"
fi

logs=$cache/logs
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
mkdir -p "$logs" "$cache/build"
cd "$repo" || exit 1
t0=$(date +%s)

# result GROUP ok|FAIL|skip TEXT: one test line, counted under GROUP.
result() {
	echo "[$1] $2 $3"
	echo "$2" >> "$res/$1.results"
}

# count GROUP LOG: add the "N passed, N failed, N skipped" summary that ends
# a test run's LOG to GROUP; a missing summary or an exit status that
# contradicts it (anything but 0 or 4 = all skipped) is one more failure.
count() {
	g=$1 log=$2 rc=$3
	sum=$(sed 's/\r$//' "$log" |
		grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' | tail -n 1)
	if [ -z "$sum" ]; then
		result "$g" FAIL "no 'N passed, N failed' summary (exit status $rc)"
		return
	fi
	# shellcheck disable=SC2046 # split into the three numbers
	set -- $(echo "$sum" | tr -dc '0-9 ')
	echo "$1 $2 ${3:-0}" >> "$res/$g.counts"
	if [ "$2" = 0 ] && [ "$rc" != 0 ] && [ "$rc" != 4 ]; then
		result "$g" FAIL "exit status $rc although no case failed"
	fi
}

# 0. The debug kernel, built unless cached.
if [ "$debug" = 1 ] && ! sh "$here/debug-kernel.sh" > /dev/null; then
	result debug FAIL "build the debug kernel (tools/vm/debug-kernel.sh)"
fi

# 1. ovl.ko for each kernel, each in its own copy of the tree so that the
# builds never share objects.
for k in "$@"; do
	if ! abi=$(sh "$here/kernel-abi.sh" "$k") || ! kdir=$(sh "$here/kernel-kdir.sh" "$k"); then
		result "$k" FAIL "build ovl.ko: kernel $k is not installed (make deps)"
		continue
	fi
	b=$cache/build/$abi
	blog=$logs/build-$k.log
	mkdir -p "$b"
	# Build products are excluded: a stale object built for another kernel
	# must not be copied in; those of the previous build here are kept.
	rsync -a --delete --exclude=.git --exclude=.cache \
		--exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude=modules.order --exclude=Module.symvers \
		--exclude='compat-generated.h*' --exclude='*.so' --exclude='*.a' \
		"$repo/" "$b/"
	rm -f "$b/ovl.ko"
	make -C "$b" -j2 module KDIR="$kdir" > "$blog" 2>&1
	brc=$?
	# Quote the log with paths relative to the repo, as a developer reads them.
	quote() { grep -E "$1" "$blog" | head -n 20 | sed "s|$b/||g; s/^/[$k]   /"; }
	if [ $brc != 0 ] || [ ! -f "$b/ovl.ko" ]; then
		result "$k" FAIL "build ovl.ko against $abi (exit $brc; $blog):"
		quote 'error|Error'
	elif grep -qE 'warning:|WARNING:' "$blog"; then
		# Compiler warnings, and modpost's (e.g. an undefined symbol).
		result "$k" FAIL "build ovl.ko against $abi: warnings ($blog):"
		quote 'warning:|WARNING:'
	else
		result "$k" ok "build ovl.ko against $abi"
		echo "$b/ovl.ko" > "$res/$k.ko"
	fi
done

# 2. The tools, once, on the host.
if make -C "$repo" tools > "$logs/build-tools.log" 2>&1; then
	result host ok "make tools"
else
	result host FAIL "make tools ($logs/build-tools.log):"
	tail -n 20 "$logs/build-tools.log" | sed 's/^/[host]   /'
fi

# 3. Native tests (no module needed; not again on the debug kernel: they
# run on the host, whatever the VMs boot).
if [ "$debug" = 1 ]; then
	:
elif [ -f selftests/native/run.sh ]; then
	{ sh selftests/native/run.sh 2>&1; echo $? > "$res/native.rc"; } |
		tee "$logs/native.log" | sed -u 's/^/[native] /'
	count native "$logs/native.log" "$(cat "$res/native.rc")"
else
	echo "[native] (no selftests/native/run.sh)"
fi

# 4. The VM suites: one VM per group; a group is a kernel, or on the debug
# kernel one shard of the scripts (its list in $res/GROUP.scripts).
vm() {
	g=$1 smp=$2 k=$1
	case $g in debug.*) k=debug ;; esac
	log=$logs/vm-$g.log
	scripts=${OVL_SELFTESTS:-}
	[ -f "$res/$g.scripts" ] && scripts=$(cat "$res/$g.scripts")
	{
		OVL_KO=$(cat "$res/$k.ko") OVL_SELFTESTS=$scripts \
		OVL_VM_ENV="OVL_KO OVL_SELFTESTS ${OVL_VM_ENV:-}" \
			sh "$here/run.sh" -k "$k" --smp "$smp" --timeout "$vm_timeout" \
			-- sh tools/vm/vm-selftests.sh 2>&1
		echo $? > "$res/$g.rc"
	} | tee "$log" | sed -u "s/^/[$g] /"
}

# duration SCRIPT LOG...: its last duration (s) in the first log that has it.
duration() {
	sname=$1
	shift
	for l in "$@"; do
		[ -f "$l" ] || continue
		d=$(sed -n "s/^# $sname\.sh: .*, \([0-9]*\)s\r*$/\1/p" "$l" | tail -n 1)
		[ -n "$d" ] && { echo "$d"; return; }
	done
}

# shard N: split the scripts (OVL_SELFTESTS or all) into N lists,
# $res/debug.I.scripts, longest first onto the least loaded list.  A
# script's weight is its duration in the last debug run, else 5 times
# that in the last 6.1 run (the debug kernel's usual factor; 10 s if
# unknown).
shard() {
	n=$1
	list=${OVL_SELFTESTS:-$(sh selftests/run.sh --list)}
	for s in $list; do
		s=${s%.sh}
		# shellcheck disable=SC2046 # one word per log
		w=$(duration "$s" $(ls -t "$logs"/vm-debug.*.log 2>/dev/null))
		if [ -z "$w" ]; then
			w=$(duration "$s" "$logs/vm-6.1.log")
			w=$(( ${w:-10} * 5 ))
		fi
		echo "$w $s"
	done | sort -rn | awk -v n="$n" -v dir="$res" '
		{ best = 1
		  for (i = 2; i <= n; i++) if (load[i] < load[best]) best = i
		  load[best] += $1
		  printf "%s ", $2 >> (dir "/debug." best ".scripts") }'
}

groups=
for k in "$@"; do
	if [ ! -f selftests/run.sh ]; then
		result "$k" FAIL "selftests: selftests/run.sh is missing"
	elif [ ! -f "$res/$k.ko" ]; then
		result "$k" FAIL "selftests: not run, ovl.ko did not build"
	elif [ "$k" = debug ] && [ "$shards" -gt 1 ]; then
		shard "$shards"
		for f in "$res"/debug.*.scripts; do
			g=$(basename "$f" .scripts)
			groups="$groups $g"
			echo "[$g] scripts: $(cat "$f")"
		done
	else
		groups="$groups $k"
	fi
done
if [ "$parallel" = 1 ]; then
	for g in $groups; do vm "$g" 1 & done
	wait
else
	for g in $groups; do vm "$g" 2; done
fi
for k in $groups; do
	log=$logs/vm-$k.log
	count "$k" "$log" "$(cat "$res/$k.rc" 2>/dev/null || echo '?')"
	for c in 'kernel log' kmemleak; do
		if grep -q "^ok $c" "$log"; then
			echo ok >> "$res/$k.results"
		elif grep -q "^FAIL $c" "$log"; then
			echo FAIL >> "$res/$k.results"
		fi
	done
done

# Totals: the summaries of the suites plus the lines counted here.
echo "== totals ($(( $(date +%s) - t0 )) s; logs in $logs)"
P=0 F=0 S=0
totals="host native"
for g in "$@" $groups; do
	case " $totals " in *" $g "*) ;; *) totals="$totals $g" ;; esac
done
for g in $totals; do
	p=0 f=0 s=0
	if [ -f "$res/$g.counts" ]; then
		read -r p f s < "$res/$g.counts"
	fi
	if [ -f "$res/$g.results" ]; then
		p=$((p + $(grep -c '^ok$' "$res/$g.results")))
		f=$((f + $(grep -c '^FAIL$' "$res/$g.results")))
	fi
	[ -f "$res/$g.counts" ] || [ -f "$res/$g.results" ] || continue
	echo "[$g] $p passed, $f failed, $s skipped"
	P=$((P + p)) F=$((F + f)) S=$((S + s))
done
echo "$P passed, $F failed, $S skipped"
[ "$F" = 0 ]
