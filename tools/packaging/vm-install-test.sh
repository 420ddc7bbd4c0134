#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, use and remove ovl's .debs for real, with dpkg and their
# maintainer scripts, inside a VM (whose root is a RAM overlay: nothing
# survives it).  Run by test-packages.sh:
#   tools/vm/run.sh -k 6.1 -- bash tools/packaging/vm-install-test.sh DEBDIR
# DEBDIR holds ovl-tools_*.deb, ovl-dkms_*.deb and, optionally, the
# ovl-modules-$(uname -r)_*.deb.  One [PASS]/[FAIL]/[SKIP] line per case.

# shellcheck source=../../selftests/lib.sh
. "$(dirname "$0")/../../selftests/lib.sh"

debs=${1:?usage: vm-install-test.sh DEBDIR}
abi=$(uname -r)
[ -n "${OVL_MODROOT:-}" ] || skip_all "not in a tools/vm/run.sh VM (no OVL_MODROOT)"
tools_deb=$(ls "$debs"/ovl-tools_*.deb) || die "no ovl-tools .deb in $debs"
dkms_deb=$(ls "$debs"/ovl-dkms_*.deb) || die "no ovl-dkms .deb in $debs"
modules_deb=$(ls "$debs/ovl-modules-${abi}_"*.deb 2>/dev/null)

# The harness mounts the kernel's module tree on /lib/modules/ABI; its
# "build" link, relative, names /usr/src/linux-headers-ABI, which is not
# here: the headers are in the kernel's root in ~/.cache/ovl.  Point it
# there, for dkms.
if [ ! -e "/lib/modules/$abi/build" ]; then
	must ln -sfn "$OVL_MODROOT/usr/src/linux-headers-$abi" "/lib/modules/$abi/build"
fi
# Only the running kernel: the host's /boot may name another one, which
# dkms's postinst would build for too, a long wait under TCG.
must mount -t tmpfs none /boot

# device_works CASE: modprobe finds ovl, ip (with the installed plugin)
# creates a device with vxlan's options, ovlctl shows it; then unload.
device_works() {
	local name=$1
	if pp modprobe ovl &&
		pp ip link add o0 type ovl id 42 dstport 4789 &&
		pp ip -d link show o0 | grep -q 'ovl id 42 .*dstport 4789' &&
		pp /usr/sbin/ovlctl show o0 | grep -q 'vni 42'; then
		ok "$name"
	else
		fail "$name" "modprobe ovl / ip link add type ovl / ovlctl show failed"
	fi
	ip link del o0 2>/dev/null
	rmmod ovl 2>/dev/null
}

# indexed_at PATH: modprobe resolves ovl to PATH.
indexed_at() { [ "$(modinfo -n ovl 2>/dev/null)" = "$1" ]; }

check "ovl-tools: dpkg -i" dpkg -i "$tools_deb"
check "ovl-tools: ip finds the plugin where ip looks" \
	test -f /usr/lib/x86_64-linux-gnu/ip/link_ovl.so

if [ -n "$modules_deb" ]; then
	# The image package it depends on is not installed in this VM.
	check "ovl-modules-$abi: dpkg -i" dpkg --force-depends -i "$modules_deb"
	check "ovl-modules-$abi: postinst ran depmod" \
		indexed_at "/lib/modules/$abi/updates/ovl.ko"
	device_works "ovl-modules-$abi: the device works"
	check "ovl-modules-$abi: dpkg -r" dpkg -r "ovl-modules-$abi"
	check "ovl-modules-$abi: postrm dropped ovl.ko from the index" \
		eval '! modinfo -n ovl'
else
	skip "ovl-modules-$abi" "no ovl-modules-$abi .deb in $debs"
fi

check "ovl-dkms: dpkg -i builds and installs for the running kernel" \
	dpkg -i "$dkms_deb"
pp dkms status -m ovl
check "ovl-dkms: dkms status says installed for $abi" \
	eval "dkms status -m ovl -k $abi | grep -q ': installed'"
check "ovl-dkms: modprobe finds the dkms module" \
	indexed_at "/lib/modules/$abi/updates/dkms/ovl.ko"
device_works "ovl-dkms: the device works"
check "ovl-dkms: dpkg -r" dpkg -r ovl-dkms
check "ovl-dkms: prerm unregistered it from dkms" \
	eval '[ -z "$(dkms status -m ovl)" ]'
check "ovl-dkms: no ovl.ko left for $abi" eval '! modinfo -n ovl'

check "ovl-tools: dpkg -r" dpkg -r ovl-tools
check "ovl-tools: its files are gone" eval '! ls /usr/sbin/ovlctl \
	/usr/lib/x86_64-linux-gnu/ip/link_ovl.so 2>/dev/null'

finish
