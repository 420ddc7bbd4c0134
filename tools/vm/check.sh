#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The whole test suite, as `make check` runs it:  check.sh SERIES...
# (SERIES: kernels of kernels.sh, fetched by make deps)
#  1. per kernel: build ovl.ko in a copy of the tree against that kernel's
#     headers with its compiler (build-module.sh); an error or ANY
#     compiler or modpost warning fails; the ovl.ko must carry the same
#     compiler as the kernel's own modules; sparse over it must be clean;
#  2. build the tools on the host (make tools);
#  3. the native tests on the host (selftests/native/run.sh: among them
#     the packages, with dkms builds for each kernel);
#  4. the VMs: per kernel, boot it (tools/vm/run.sh) and run
#     selftests/run.sh with OVL_KO=<that kernel's ovl.ko>, then check the
#     kernel log; and `make demo`, checked to leave the host as it was;
#  5. the host as it was before make check: git status of the tree,
#     /boot, /lib/modules, kernel packages, apt sources (host-state.sh;
#     OVL_HOST_STATE names the record make check took before make deps).
# Test lines are prefixed with where they ran ([host], [native], [6.1]...).
# Ends with per-kernel totals and, as the very last line, the sum:
# "N passed, N failed, N skipped".  Exit 0 only if nothing failed.
# The ovl-agent scripts (selftests/agent*.sh: etcd clusters, CNI, ~20 min
# under TCG) run in VMs of their own, "agent-SERIES", on the kernels of
# OVL_AGENT_KERNELS (default "6.1 6.12") that are in this run; the
# kernels' own VMs run every other script.  OVL_SELFTESTS, if set, is the
# list for the kernels' VMs and there are no agent VMs.
# The VMs run OVL_CHECK_JOBS at a time (default: one per CPU), 1 vCPU
# each, longest first by their last durations; OVL_CHECK_PARALLEL=0 runs
# them one after the other with 2 vCPUs each.  OVL_CHECK_DEMO=0 leaves
# the demo out.  OVL_VM_TIMEOUT: seconds per VM, default 2400.
# OVL_CHECK_DEADLINE (seconds since the epoch; .ci/run sets it): no VM
# starts after it less 300 s, none runs past it, so the totals are printed.
# check.sh --debug (make check-debug): the same, but for the native tests,
# the demo and sparse, on the debug kernel only (tools/vm/debug-kernel.sh
# builds it first: the first time 10-60 min), the scripts split into
# OVL_DEBUG_SHARDS (default 2) groups booted side by side, 1 vCPU each
# ([debug.1], [debug.2]...), 5400 s per VM (3000 s per script: fail-nth
# alone takes about 2000 s), each with
# a kmemleak case after its scripts.  The split balances the scripts'
# durations of the last debug run (logs/vm-debug.*.log; else the last 6.1
# run's).  fuzz-rx and mac-flood send 50 000 packets there
# (FUZZ_PACKETS, MAC_FLOOD_PACKETS).
# check.sh --kcsan (make check-kcsan): as --debug, on the KCSAN kernel
# (debug-kernel.sh kcsan), in one VM ([kcsan]) with 2 vCPUs so that the
# data path and the configuration really run side by side, with a
# data-race case after its scripts (vm-selftests.sh).
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${OVL_CACHE:-$HOME/.cache/ovl}
. "$here/kernels.sh"
# checker: the checker kernel of --debug or --kcsan, or none.
checker=
case ${1:-} in
--debug|--kcsan)
	[ $# = 1 ] || { echo "usage: $0 $1" >&2; exit 2; }
	checker=${1#--}
	set -- "$checker"
	;;
esac
shards=${OVL_DEBUG_SHARDS:-2}
[ "$checker" = kcsan ] && shards=1
case $shards in [1-9]) ;; *) echo "$0: OVL_DEBUG_SHARDS must be 1-9" >&2; exit 2 ;; esac
[ $# -ge 1 ] || { echo "usage: $0 SERIES...|--debug|--kcsan (SERIES: $OVL_KERNELS_ALL)" >&2; exit 2; }
ovl_kernel_check --debug "$@" || exit 2
parallel=${OVL_CHECK_PARALLEL:-1}
jobs=${OVL_CHECK_JOBS:-$(nproc)}
case $jobs in ''|*[!0-9]*|0) echo "$0: OVL_CHECK_JOBS must be a positive number" >&2; exit 2 ;; esac
smp=1
[ "$parallel" = 1 ] && [ "$checker" != kcsan ] || { jobs=1; smp=2; }
vm_timeout=${OVL_VM_TIMEOUT:-2400}
deadline=${OVL_CHECK_DEADLINE:-}
case $deadline in *[!0-9]*) echo "$0: OVL_CHECK_DEADLINE must be seconds since the epoch" >&2; exit 2 ;; esac
demo=${OVL_CHECK_DEMO:-1}
if [ -n "$checker" ]; then
	demo=0
	vm_timeout=${OVL_VM_TIMEOUT:-5400}
	# Each script runs ~5x slower there than run.sh's default allows,
	# and fail-nth runs each request some 10-30 times over.
	OVL_TEST_TIMEOUT=${OVL_TEST_TIMEOUT:-3000}
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

# The host as it is now, unless make check recorded it before make deps.
state=${OVL_HOST_STATE:-}
if [ -z "$state" ]; then
	state=$res/host-state
	sh "$here/host-state.sh" save "$state"
fi

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

# gcc_of KO: the compiler a module was built with (its .comment).
gcc_of() {
	case $1 in
	*.ko.xz) xz -dc "$1" > "$res/gcc.ko" ;;
	*.ko.zst) zstd -qdc "$1" > "$res/gcc.ko" ;;
	*.ko.gz) gzip -dc "$1" > "$res/gcc.ko" ;;
	*) cp "$1" "$res/gcc.ko" ;;
	esac
	readelf -p .comment "$res/gcc.ko" 2>/dev/null | sed -n 's/.*\(GCC: .*\)$/\1/p' |
		sed 's/ *$//' | LC_ALL=C sort -u | head -n 1
}

# 0. The checker kernel, built unless cached.
if [ -n "$checker" ] && ! sh "$here/debug-kernel.sh" "$checker" > /dev/null; then
	result "$checker" FAIL "build the $checker kernel (tools/vm/debug-kernel.sh $checker)"
fi

# 1. ovl.ko for each kernel, each in its own copy of the tree so that the
# builds never share objects.
nsrc=$(ls drivers/net/ovl/*.c | wc -l)
for k in "$@"; do
	if ! abi=$(sh "$here/kernel-abi.sh" "$k" 2>/dev/null) ||
	   ! sh "$here/kernel-kdir.sh" "$k" > /dev/null 2>&1; then
		result "$k" FAIL "build ovl.ko: kernel $k is not in $cache (make deps KERNELS=$k)"
		continue
	fi
	b=$cache/build/$abi
	blog=$logs/build-$k.log
	where=$(sh "$here/kbuild.sh" --describe "$k" 2>/dev/null)
	sh "$here/build-module.sh" "$k" > "$blog" 2>&1
	brc=$?
	# Quote the log with paths relative to the repo, as a developer reads them.
	quote() { grep -E "$1" "$2" | head -n 20 | sed "s|$b/||g; s/^/[$k]   /"; }
	if [ $brc != 0 ] || [ ! -f "$b/ovl.ko" ]; then
		result "$k" FAIL "build ovl.ko against $abi with $where (exit $brc; $blog):"
		quote 'error|Error' "$blog"
		continue
	elif grep -qE 'warning:|WARNING:' "$blog"; then
		# Compiler warnings, and modpost's (e.g. an undefined symbol).
		result "$k" FAIL "build ovl.ko against $abi with $where: warnings ($blog):"
		quote 'warning:|WARNING:' "$blog"
		continue
	fi
	result "$k" ok "build ovl.ko against $abi with $where"
	echo "$b/ovl.ko" > "$res/$k.ko"
	# The kernel's own udp_tunnel module says which compiler built it.
	root=$(sh "$here/modroot.sh" "$k")
	ref=$(find "$root/lib/modules/$abi/" -name 'udp_tunnel.ko*' 2>/dev/null | head -n 1)
	mine=$(gcc_of "$b/ovl.ko")
	theirs=
	[ -n "$ref" ] && theirs=$(gcc_of "$ref")
	if [ -z "$theirs" ] && ovl_kernel_checker "$k"; then
		:	# built here, with this host's gcc, by debug-kernel.sh
	elif [ -n "$mine" ] && [ "$mine" = "$theirs" ]; then
		result "$k" ok "ovl.ko is built with the kernel's own compiler ($mine)"
	else
		result "$k" FAIL "ovl.ko is built with '${mine:-?}', the kernel's modules with '${theirs:-?}'"
	fi
	ovl_kernel_checker "$k" && continue
	slog=$logs/sparse-$k.log
	if ! sh "$here/build-module.sh" --sparse "$k" > "$slog" 2>&1; then
		result "$k" FAIL "sparse: the build failed ($slog)"
	elif grep -qE 'warning:|error:' "$slog"; then
		result "$k" FAIL "sparse: reports ($slog):"
		quote 'warning:|error:' "$slog"
	elif [ "$(grep -c '^  CHECK ' "$slog")" -lt "$nsrc" ]; then
		result "$k" FAIL "sparse: checked $(grep -c '^  CHECK ' "$slog") of $nsrc files ($slog)"
	else
		result "$k" ok "sparse: clean ($nsrc files)"
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
# run on the host, whatever the VMs boot).  The packaging test builds
# with dkms for the kernels of this run.
if [ -n "$checker" ]; then
	:
elif [ -f selftests/native/run.sh ]; then
	{ OVL_PKG_KERNELS="$*" sh selftests/native/run.sh 2>&1; echo $? > "$res/native.rc"; } |
		tee "$logs/native.log" | sed -u 's/^/[native] /'
	count native "$logs/native.log" "$(cat "$res/native.rc")"
else
	echo "[native] (no selftests/native/run.sh)"
fi

# 4. The VMs: one per group; a group is a kernel, on the debug kernel
# one shard of the scripts (its list in $res/GROUP.scripts), the agent
# scripts on a kernel (agent-SERIES), or the demo.
vm() {
	g=$1 k=$1
	case $g in debug.*|kcsan.*) k=${g%.*} ;; agent-*) k=${g#agent-} ;; esac
	log=$logs/vm-$g.log
	scripts=${OVL_SELFTESTS:-}
	[ -f "$res/$g.scripts" ] && scripts=$(cat "$res/$g.scripts")
	s0=$(date +%s)
	# A deadline (CI's budget): a VM that would start with too little
	# of it left is not started, and fails; one that starts gets at most
	# what is left, so the totals are always printed.
	t=$vm_timeout
	if [ -n "$deadline" ]; then
		t=$((deadline - s0))
		if [ "$t" -lt 300 ]; then
			echo "[$g] not started: $t s left before OVL_CHECK_DEADLINE"
			result "$g" FAIL "not run: $t s left before OVL_CHECK_DEADLINE"
			: > "$res/$g.notrun"
			return
		fi
		[ "$t" -gt "$vm_timeout" ] && t=$vm_timeout
	fi
	if [ "$g" = demo ]; then
		sh "$here/host-state.sh" save "$res/demo.state"
		{
			timeout -k 30 "$t" make -C "$repo" demo < /dev/null 2>&1
			echo $? > "$res/demo.rc"
		} > "$log"
		sh "$here/host-state.sh" compare "$res/demo.state" > "$res/demo.diff" 2>&1
		echo $? > "$res/demo.same"
	else
		{
			OVL_KO=$(cat "$res/$k.ko") OVL_SELFTESTS=$scripts \
			OVL_VM_ENV="OVL_KO OVL_SELFTESTS ${OVL_VM_ENV:-}" \
				sh "$here/run.sh" -k "$k" --smp "$smp" --timeout "$t" \
				-- sh tools/vm/vm-selftests.sh 2>&1
			echo $? > "$res/$g.rc"
		} | tee "$log" | sed -u "s/^/[$g] /"
	fi
	echo $(( $(date +%s) - s0 )) > "$res/$g.secs"
	cp "$res/$g.secs" "$logs/duration-$g"
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
# $res/CHECKER.I.scripts, longest first onto the least loaded list.  A
# script's weight is its duration in the last debug run, else 5 times
# that in the last 6.1 run (the debug kernel's usual factor; 10 s if
# unknown).
shard() {
	n=$1
	list=${OVL_SELFTESTS:-$(sh selftests/run.sh --list)}
	for s in $list; do
		s=${s%.sh}
		# shellcheck disable=SC2046 # one word per log
		w=$(duration "$s" $(ls -t "$logs"/vm-"$checker".*.log 2>/dev/null))
		if [ -z "$w" ]; then
			w=$(duration "$s" "$logs/vm-6.1.log")
			w=$(( ${w:-10} * 5 ))
		fi
		echo "$w $s"
	done | sort -rn | awk -v n="$n" -v pre="$res/$checker." '
		{ best = 1
		  for (i = 2; i <= n; i++) if (load[i] < load[best]) best = i
		  load[best] += $1
		  printf "%s ", $2 >> (pre best ".scripts") }'
}

# The agent's scripts, and the kernels that run them in VMs of their own.
agent_scripts=$(sh selftests/run.sh --list | grep '^agent' | tr '\n' ' ')
agent_kernels=
if [ -z "$checker" ] && [ -z "${OVL_SELFTESTS:-}" ] && [ -n "$agent_scripts" ]; then
	for k in ${OVL_AGENT_KERNELS-6.1 6.12}; do
		case " $* " in *" $k "*) agent_kernels="$agent_kernels $k" ;; esac
	done
fi

groups=
for k in "$@"; do
	if [ ! -f selftests/run.sh ]; then
		result "$k" FAIL "selftests: selftests/run.sh is missing"
	elif [ ! -f "$res/$k.ko" ]; then
		result "$k" FAIL "selftests: not run, ovl.ko did not build"
	elif ovl_kernel_checker "$k" && [ "$shards" -gt 1 ]; then
		shard "$shards"
		for f in "$res/$k".*.scripts; do
			g=$(basename "$f" .scripts)
			groups="$groups $g"
			echo "[$g] scripts: $(cat "$f")"
		done
	else
		groups="$groups $k"
		# The agent scripts go to their own VMs (or nowhere, if not asked).
		if [ -z "$checker" ] && [ -z "${OVL_SELFTESTS:-}" ]; then
			sh selftests/run.sh --list | grep -v '^agent' | tr '\n' ' ' > "$res/$k.scripts"
		fi
		case " $agent_kernels " in
		*" $k "*)
			groups="$groups agent-$k"
			echo "$agent_scripts" > "$res/agent-$k.scripts"
			;;
		esac
	fi
done
[ "$demo" = 1 ] && groups="$groups demo"

# lanes N GROUP...: the groups dealt into N lanes, longest first onto the
# least loaded, by their durations in the last run (logs/duration-GROUP,
# else typical ones); one lane per line.
lanes() {
	n=$1
	shift
	for g in "$@"; do
		w=$(cat "$logs/duration-$g" 2>/dev/null)
		# Else what it took on the 2-core machine (README), a fresh
		# machine (CI) has no logs.
		[ -n "$w" ] || case $g in
			demo) w=120 ;;
			agent-*) w=800 ;;
			5.10|6.1-rt) w=900 ;;
			*) w=600 ;;
		esac
		echo "$w $g"
	done | sort -rn | awk -v n="$n" '
		{ best = 1
		  for (i = 2; i <= n; i++) if (load[i] < load[best]) best = i
		  load[best] += $1; lane[best] = lane[best] " " $2 }
		END { for (i = 1; i <= n; i++) if (lane[i] != "") print lane[i] }'
}

# shellcheck disable=SC2086 # group names
lanes "$jobs" $groups > "$res/lanes"
while read -r lane; do
	( for g in $lane; do vm "$g"; done ) &
done < "$res/lanes"
wait

for g in $groups; do
	[ -f "$res/$g.notrun" ] && continue
	if [ "$g" = demo ]; then
		passed=$(sed -n 's/^  \([0-9]*\) checks passed, 0 failed, .*/\1/p' "$logs/vm-demo.log")
		if [ "$(cat "$res/demo.rc" 2>/dev/null)" = 0 ] && [ -n "$passed" ]; then
			result demo ok "make demo: $passed checks passed ($(cat "$res/demo.secs") s)"
		else
			result demo FAIL "make demo: exit $(cat "$res/demo.rc" 2>/dev/null) ($logs/vm-demo.log):"
			tail -n 15 "$logs/vm-demo.log" | sed 's/^/[demo]   /'
		fi
		if [ "$(cat "$res/demo.same")" = 0 ]; then
			result demo ok "make demo leaves the tree, /boot, /lib/modules and the kernel packages as they were"
		else
			result demo FAIL "make demo changed this host:"
			head -n 20 "$res/demo.diff" | sed 's/^/[demo]   /'
		fi
		continue
	fi
	log=$logs/vm-$g.log
	count "$g" "$log" "$(cat "$res/$g.rc" 2>/dev/null || echo '?')"
	for c in 'kernel log' kmemleak kcsan; do
		if grep -q "^ok $c" "$log"; then
			echo ok >> "$res/$g.results"
		elif grep -q "^FAIL $c" "$log"; then
			echo FAIL >> "$res/$g.results"
		fi
	done
done

# 5. The host, as it was before.
if sh "$here/host-state.sh" compare "$state" > "$res/host.diff" 2>&1; then
	result host ok "the tree (git status), /boot, /lib/modules, the kernel packages and apt's sources are as before"
else
	result host FAIL "this run changed the host:"
	head -n 20 "$res/host.diff" | sed 's/^/[host]   /'
fi

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
	t=
	[ -f "$res/$g.secs" ] && t=" ($(cat "$res/$g.secs") s in the VM)"
	echo "[$g] $p passed, $f failed, $s skipped$t"
	P=$((P + p)) F=$((F + f)) S=$((S + s))
done
echo "$P passed, $F failed, $S skipped"
[ "$F" = 0 ]
