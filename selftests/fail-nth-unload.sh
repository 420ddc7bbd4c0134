#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module unload with every allocation of it failed in turn: with ovl
# devices in two namespaces (one up with FDB entries and a socket, one
# down), delete_module("ovl") runs with the Nth fault-injection point of
# the unloading task failed (/proc/thread-self/fail-nth), for N = 1, 2,
# ... until an unload reaches its end without a failure.  Each time the
# module must be gone with every one of its devices, or still loaded
# with its devices as they were; it loads again; no splat in the kernel
# log (the debug kernel's KASAN, lockdep and kmemleak look on).  Needs
# CONFIG_FAULT_INJECTION (the debug kernel) and ovl as a module it can
# load again (OVL_KO); elsewhere it skips.
#
#   FAILNTH_UNLOAD_MAX  the bound on N (default 400)

. "$(dirname "$0")/lib.sh"
. "$TOP_DIR/tools/fuzz/lib.sh"

is_ovl_kind || skip_all "ovl-only: unloads ovl.ko (KIND=$KIND)"
need_ovl_args
[ -e /proc/self/fail-nth ] ||
	skip_all "no fault injection in this kernel (/proc/self/fail-nth): the debug kernel has it (make check-debug)"
grep -q '^ovl ' /proc/modules || skip_all "ovl is not a loaded module"
[ -n "${OVL_KO:-}" ] || skip_all "no OVL_KO to load ovl back from"
command -v python3 >/dev/null || skip_all "python3 is not installed"
failnth_setup || skip_all "no failslab in debugfs"
MAX=${FAILNTH_UNLOAD_MAX:-400}

N1=$(ns_of 1) N2=$(ns_of 2)
ns_add "$N1"
ns_add "$N2"
must ip -n "$N1" link add eth0 type dummy
must ip -n "$N1" addr add 10.0.0.1/24 dev eth0
must ip -n "$N1" link set eth0 up

# devices: ovl0 up in N1 with FDB entries, ovl1 down in N2.
devices() {
	ip -n "$N1" link add ovl0 type ovl id 42 local 10.0.0.1 remote 10.0.0.2 dev eth0 &&
		bridge -n "$N1" fdb add 02:00:00:00:00:01 dev ovl0 dst 10.0.0.5 self permanent &&
		ip -n "$N1" link set ovl0 up &&
		ip -n "$N2" link add ovl1 type ovl id 43
}
ovl_devices() {
	{ ip -n "$N1" -d link show type ovl; ip -n "$N2" -d link show type ovl; } 2>/dev/null |
		sed 's/^[0-9]*: //'
}
loaded() { grep -q '^ovl ' /proc/modules; }

# unload N: delete_module("ovl") with fail-nth N in the same thread;
# prints "rc ERRNO injected".
unload() {
	python3 - "$1" <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
fd = os.open("/proc/thread-self/fail-nth", os.O_RDWR)
os.write(fd, sys.argv[1].encode())
rc = libc.syscall(176, b"ovl", os.O_NONBLOCK)	# delete_module, x86_64
err = ctypes.get_errno()
try:
    left = os.pread(fd, 16, 0).strip()
except OSError:
    # The countdown outlived the unload and reached this read's own
    # copy to user space (a fault point too): nothing was injected.
    left = b"1"
os.write(fd, b"0")
print(rc, err, 1 if left in (b"0", b"") else 0)
PY
}

klog_mark fail-nth-unload
echo "ovl-fail-nth-unload: start" > /dev/kmsg 2>/dev/null
bad=
for n in $(seq 1 "$MAX"); do
	if ! loaded; then
		insmod "$OVL_KO" || { bad="N=$n: ovl does not load again"; break; }
	fi
	for d in "ip -n $N1 link del ovl0" "ip -n $N2 link del ovl1"; do
		$d 2>/dev/null
	done
	devices || { bad="N=$n: the devices can not be created"; break; }
	before=$(ovl_devices)
	[ $((n % 20)) = 1 ] && echo "ovl-fail-nth-unload: N=$n" > /dev/kmsg 2>/dev/null
	read -r rc err injected <<< "$(unload "$n")"
	if [ "$rc" = 0 ]; then
		if loaded || [ -n "$(ovl_devices)" ]; then
			bad="N=$n: unloaded, but the module or a device is still there"
			break
		fi
	elif [ "$(ovl_devices)" != "$before" ]; then
		bad="N=$n: the unload failed (errno $err) and the devices changed"
		break
	fi
	if [ "$injected" = 0 ]; then
		[ "$rc" = 0 ] || bad="N=$n, nothing injected: the unload failed (errno $err)"
		break
	fi
done
loaded || insmod "$OVL_KO" || bad="${bad:-ovl does not load at the end}"
if [ -n "$bad" ]; then
	fail "unload under fail-nth" "$bad"
elif [ "$injected" != 0 ]; then
	fail "unload under fail-nth" "still failing at N=$MAX (FAILNTH_UNLOAD_MAX)"
else
	ok "unload under fail-nth: $((n - 1)) failures injected, each clean"
fi
if devices && [ -n "$(ip -n "$N1" link show dev ovl0 up)" ]; then
	ok "after every unload the module loads and configures a device"
else
	fail "after every unload the module loads and configures a device"
fi
klog_case "no splat in the kernel log" fail-nth-unload
finish
