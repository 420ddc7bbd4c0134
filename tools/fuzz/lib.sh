# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the fuzz selftests (selftests/fuzz-rx.sh, fuzz-config.sh,
# mac-flood.sh), sourced after selftests/lib.sh.

FUZZ_DIR="$TOP_DIR/tools/fuzz"

# fuzz_bin NAME: the path of fuzzer NAME (rxfuzz, nlfuzz).  The binary
# built by `make -C tools/fuzz` is used when it is newer than its sources;
# otherwise it is compiled into TMP_DIR, so a stale binary is never tested.
fuzz_bin() {
	local name=$1 bin=$FUZZ_DIR/$1 src fresh=1 cflags="-O2 -Wall"
	local srcs=("$FUZZ_DIR/$name.c" "$FUZZ_DIR/pkt.h")
	local libs=()
	if [ "$name" = nlfuzz ]; then
		srcs+=("$FUZZ_DIR/nlstate.c" "$FUZZ_DIR/nlfuzz.h")
		libs=(-lmnl)
	fi
	for src in "${srcs[@]}"; do
		[ "$bin" -nt "$src" ] || fresh=0
	done
	if [ $fresh = 1 ] && [ -x "$bin" ]; then
		printf '%s\n' "$bin"
		return 0
	fi
	bin=$TMP_DIR/$name
	# shellcheck disable=SC2086
	cc $cflags -I"$TOP_DIR/include/uapi" -o "$bin" \
		$(printf '%s\n' "${srcs[@]}" | grep '\.c$') "${libs[@]}" >&2 || return 1
	printf '%s\n' "$bin"
}

# snap NS FILE DEV...: every counter of DEV... and of NS's IP/UDP MIBs, as
# "key value" lines (tools/fuzz/counters.py).
snap() {
	local ns=$1 file=$2
	shift 2
	ip netns exec "$ns" python3 "$FUZZ_DIR/counters.py" "$@" > "$file"
}

# snap_diff A B OUT: OUT holds B - A for every key.
snap_diff() {
	python3 "$FUZZ_DIR/counters.py" --diff "$1" "$2" > "$3"
}

# val FILE KEY: a value of a snapshot or diff; 0 when the key is missing
# (a MIB an older kernel does not have).
val() {
	awk -v k="$2" '$1 == k { print $2; found = 1 } END { if (!found) print 0 }' "$1"
}

# sum FILE KEY...: the sum of the values.
sum() {
	local f=$1 k t=0
	shift
	for k in "$@"; do
		t=$((t + $(val "$f" "$k")))
	done
	echo "$t"
}

# kv FILE KEY: a value of the fuzzer's own summary ("key value" lines).
kv() { val "$@"; }

# expect CASE WANT GOT EXPLANATION: a case on an equation of counters.
expect() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1" "expected $2, got $3 ($4)"
	fi
}

# unreclaimable slab in kB: what leaked skbs and FDB entries would raise.
slab_kb() {
	awk '$1 == "SUnreclaim:" { print $2 }' /proc/meminfo
}

# Kernel log checks: a marker, then what was logged after it.
KLOG_BAD='WARNING:|BUG:|Oops|soft lockup|hard LOCKUP|rcu.*(stall|detected stalls)|hung_task|blocked for more than|general protection|KASAN|UBSAN|refcount_t|list_(add|del) corruption|skb_over_panic|skb_under_panic'
klog_mark() {
	echo "ovl-fuzz: $1" > /dev/kmsg 2>/dev/null
}
klog_bad_since() {
	dmesg 2>/dev/null | awk -v m="ovl-fuzz: $1" 'index($0, m) { f = 1; next } f' |
		grep -E "$KLOG_BAD"
}
# klog_case NAME MARK: the case NAME passes if nothing bad was logged
# since klog_mark MARK; else it fails on the first bad line and shows
# them all.
klog_case() {
	local bad
	if bad=$(klog_bad_since "$2"); then
		fail "$1" "$(echo "$bad" | head -n 1)"
		echo "$bad"
	else
		ok "$1"
	fi
}

# failnth_setup: debugfs mounted and fault injection set for fail-nth:
# sleeping allocations fail too (by default they are spared), page
# allocations of any order, quietly (a stack dump per failure would flood
# the console of the TCG guest).  False when the kernel has no failslab.
failnth_setup() {
	local dbg=/sys/kernel/debug a
	[ -d "$dbg/failslab" ] || mount -t debugfs none "$dbg" 2>/dev/null
	[ -d "$dbg/failslab" ] || return 1
	for a in failslab fail_page_alloc fail_usercopy; do
		[ -d "$dbg/$a" ] || continue
		echo 0 > "$dbg/$a/verbose"
		[ -e "$dbg/$a/ignore-gfp-wait" ] && echo N > "$dbg/$a/ignore-gfp-wait"
	done
	echo N > "$dbg/fail_page_alloc/ignore-gfp-highmem"
	echo 0 > "$dbg/fail_page_alloc/min-order"
}
