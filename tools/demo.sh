#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo [HOST=1] [DEMO=manual]: a Flannel network on ovl, told step
# by step: run by ovl-agent, with etcd and CNI (tools/demo/agent.sh;
# Documentation/agent.rst), or with DEMO=manual (OVL_DEMO=manual) every
# device and entry programmed by hand as flanneld would
# (tools/demo/scenario.sh; Documentation/scenarios.rst).
#
#   tools/demo.sh          build ovl.ko for the VM's kernel (Debian 6.1) and
#                          the tools, boot a throw-away VM, run it there
#   tools/demo.sh --host   run it on this machine: needs root and a kernel
#                          that can load ovl.ko (loaded, installed, or built
#                          here against the running kernel's headers)
#
# Assumes what "make deps" installs (make demo runs it first).  Builds go
# to ~/.cache/ovl/demo (OVL_CACHE), never into the tree, except "make
# tools".  OVL_DEMO_KERNEL=SERIES boots another kernel of
# tools/vm/kernels.sh (make demo DEMO_KERNEL=7.2 fetches it first).
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
cache=${OVL_CACHE:-$HOME/.cache/ovl}/demo
kernel=${OVL_DEMO_KERNEL:-6.1}
case ${OVL_DEMO:-agent} in
agent) scenario=tools/demo/agent.sh ;;
manual) scenario=tools/demo/scenario.sh ;;
*) echo "$0: unknown demo '$OVL_DEMO' (agent or manual)" >&2; exit 2 ;;
esac

say() { printf 'demo: %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

. "$here/vm/kernels.sh"
ovl_kernel_check "$kernel" || exit 2

case ${1:-} in
'') mode=vm ;;
--host) mode=host ;;
*) echo "usage: $0 [--host]" >&2; exit 2 ;;
esac

mkdir -p "$cache" || die "can not create $cache"
cd "$repo" || exit 1

# build_module KDIR DIR: ovl.ko built against KDIR in a copy of the tree
# at DIR (the tree's own objects may belong to another kernel).
build_module() {
	log=$2.log
	rsync -a --delete --exclude=.git --exclude='*.o' --exclude='*.ko' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude='.*.cmd' \
		--exclude=modules.order --exclude=Module.symvers \
		--exclude='compat-generated.h*' --exclude='*.so' --exclude='*.a' \
		"$repo/" "$2/" || die "can not copy the tree to $2"
	if ! make -C "$2" -j2 module KDIR="$1" > "$log" 2>&1; then
		tail -n 15 "$log" >&2
		die "building ovl.ko against $1 failed (log: $log)"
	fi
}

build_tools() {
	say "building the tools (ovlctl, the ip plugin link_ovl.so)"
	if ! make -C "$repo" tools > "$cache/tools.log" 2>&1; then
		tail -n 15 "$cache/tools.log" >&2
		die "make tools failed (log: $cache/tools.log)"
	fi
}

# --- on this machine ---------------------------------------------------------

run_host() {
	[ "$(id -u)" = 0 ] ||
		die "HOST=1 runs the scenario on this machine: it creates network namespaces and loads ovl.ko, so it needs root (sudo make demo HOST=1)"
	if [ ! -e /proc/modules ]; then
		die "this kernel ($(uname -r)) has no loadable module support: ovl.ko can not be loaded here.  Run 'make demo' without HOST=1: it boots a VM instead."
	fi
	if [ "$(cat /proc/sys/kernel/modules_disabled 2>/dev/null)" = 1 ]; then
		die "module loading is disabled on this machine (kernel.modules_disabled=1): ovl.ko can not be loaded.  Run 'make demo' without HOST=1: it boots a VM instead."
	fi
	loaded=0
	if grep -q '^ovl ' /proc/modules; then
		say "the ovl module is already loaded"
	elif modprobe -q ovl 2>/dev/null; then
		say "loaded the installed ovl module"
		loaded=1
	else
		kdir=/lib/modules/$(uname -r)/build
		[ -f "$kdir/Makefile" ] ||
			die "ovl is not installed and the running kernel's headers are missing ($kdir): apt-get install linux-headers-$(uname -r), or run 'make demo' without HOST=1"
		say "building ovl.ko for the running kernel $(uname -r)"
		build_module "$kdir" "$cache/host-$(uname -r)"
		modprobe -q udp_tunnel 2>/dev/null
		modprobe -q ip6_udp_tunnel 2>/dev/null
		if ! err=$(insmod "$cache/host-$(uname -r)/ovl.ko" 2>&1); then
			die "this kernel refuses to load ovl.ko: $err (with Secure Boot, lockdown rejects unsigned modules).  Run 'make demo' without HOST=1: it boots a VM instead."
		fi
		say "loaded ovl.ko"
		loaded=1
	fi
	build_tools
	bash "$repo/$scenario"
	rc=$?
	if [ "$loaded" = 1 ]; then
		rmmod ovl 2>/dev/null && say "unloaded ovl"
	fi
	return $rc
}

# --- in a VM -------------------------------------------------------------------

run_vm() {
	command -v qemu-system-x86_64 >/dev/null || die "qemu is missing: run 'make deps' (make demo does)"
	if ! abi=$(sh tools/vm/kernel-abi.sh "$kernel") || ! kdir=$(sh tools/vm/kernel-kdir.sh "$kernel"); then
		die "the $kernel kernel is not in ~/.cache/ovl: run 'make deps KERNELS=$kernel' (make demo does)"
	fi
	say "building ovl.ko for the VM's kernel $abi"
	# With the kernel's own compiler (a chroot for another release).
	if ! sh tools/vm/build-module.sh "$kernel" "$cache/build-$abi" > "$cache/build-$abi.log" 2>&1; then
		tail -n 15 "$cache/build-$abi.log" >&2
		die "building ovl.ko against $kdir failed (log: $cache/build-$abi.log)"
	fi
	build_tools

	say "booting Linux $abi in qemu: emulated (TCG, no KVM), so the boot takes"
	say "about 20 s and everything in the VM runs ~15x slower than natively"
	flag=$cache/booted.$$
	rcfile=$cache/rc.$$
	rm -f "$flag" "$rcfile"
	# Progress while nothing else is printed; presentation only.
	(
		t=0
		while [ ! -e "$flag" ]; do
			sleep 1
			t=$((t + 1))
			[ $((t % 5)) = 0 ] && [ ! -e "$flag" ] && say "  ... booting ($t s)"
		done
	) &
	ticker=$!
	trap 'kill $ticker 2>/dev/null; rm -f "$flag" "$rcfile"' EXIT
	trap 'exit 130' INT TERM
	{
		OVL_KO=$cache/build-$abi/ovl.ko OVL_SCENARIO=$scenario OVL_VM_ENV="OVL_KO OVL_SCENARIO" \
			sh tools/vm/run.sh -k "$kernel" --timeout 900 -- \
			sh -c 'insmod "$OVL_KO" && exec bash "$OVL_SCENARIO"'
		echo $? > "$rcfile"
	} 2>&1 | while IFS= read -r line; do
		[ -e "$flag" ] || : > "$flag"
		printf '%s\n' "$line"
	done
	: > "$flag"
	rc=$(cat "$rcfile" 2>/dev/null || echo 1)
	[ "$rc" = 0 ] || say "the scenario failed (exit $rc)"
	return "$rc"
}

t0=$(date +%s)
if [ "$mode" = host ]; then run_host; else run_vm; fi
rc=$?
say "done in $(($(date +%s) - t0)) s"
exit $rc
