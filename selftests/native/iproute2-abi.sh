#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# link_ovl.so against the installed ip(8): the plugin declares ip's ABI
# itself (tools/iproute2/ip_abi.h mirrors iproute2 6.1), so check that it
# matches the binary it will be loaded into, that ip really loads it, that
# it builds warning-free and installs where ip looks.  No kernel module.

# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

PLUGIN_DIR=$TOP_DIR/tools/iproute2
IP=$(command -v ip)

for tool in nm readelf strings make gcc; do
	command -v $tool >/dev/null || skip_all "$tool is not installed"
done

# A fresh, warning-free (-Werror) build of both flavours, out of the tree.
BUILD=$TMP_DIR/build
mkdir -p "$BUILD"
mkdir -p "$BUILD/tools"
cp -r "$PLUGIN_DIR" "$BUILD/tools/iproute2"
cp -r "$TOP_DIR/tools/include" "$BUILD/tools/include"
mkdir -p "$BUILD/include/uapi/linux"
cp "$TOP_DIR/include/uapi/linux/ovl.h" "$BUILD/include/uapi/linux/"
make -C "$BUILD/tools/iproute2" clean >/dev/null
if out=$(make -C "$BUILD/tools/iproute2" all test-lib 2>&1); then
	ok "build: -Wall -Wextra -Werror clean"
else
	printf '%s\n' "$out"
	die "the plugin does not build"
fi
SO=$BUILD/tools/iproute2/link_ovl.so

# Every symbol the plugin takes from outside libc must be exported by ip.
libc_syms=$(nm -D --defined-only "$(ldd "$IP" | awk '/libc\.so/ { print $3 }')" |
	awk '{ print $3 }' | sed 's/@.*//' | sort -u)
ip_syms=$(nm -D --defined-only "$IP" | awk '{ print $3 }' | sort -u)
missing=$(nm -D --undefined-only "$SO" | awk '$1 == "U" { print $2 }' |
	sed 's/@.*//' | sort -u | comm -23 - <(printf '%s\n' "$libc_syms") |
	comm -23 - <(printf '%s\n' "$ip_syms"))
if [ -z "$missing" ]; then
	ok "abi: every ip helper the plugin calls is exported by $IP"
else
	fail "abi: every ip helper the plugin calls is exported by $IP" \
		"missing: $(printf '%s' "$missing" | tr '\n' ' ')"
fi

# The plugin exports its link_util and nothing else.
exported=$(nm -D --defined-only "$SO" | awk '{ print $3 }')
if [ "$exported" = ovl_link_util ]; then
	ok "abi: the plugin exports only ovl_link_util"
else
	fail "abi: the plugin exports only ovl_link_util" "exports: $(printf '%s' "$exported" | tr '\n' ' ')"
fi

# struct link_util: ours must be as large as ip's own (vxlan_link_util).
size_of() { readelf -sW --dyn-syms "$1" | awk -v s="$2" '$8 == s { print $3; exit }'; }
ip_size=$(size_of "$IP" vxlan_link_util)
our_size=$(size_of "$SO" ovl_link_util)
if [ -n "$ip_size" ] && [ "$ip_size" = "$our_size" ]; then
	ok "abi: struct link_util is $our_size bytes, as in ip"
else
	fail "abi: struct link_util is $our_size bytes, as in ip" "ip has ${ip_size:-?}"
fi

# ip loads it: the usage comes from the plugin, and exits 0.
if out=$(IP_LIB_DIR=$BUILD/tools/iproute2 ip link help ovl 2>&1) &&
	printf '%s\n' "$out" | grep -q '^Usage: \.\.\. ovl '; then
	ok "load: ip link help ovl prints the plugin's usage"
else
	printf '%s\n' "$out"
	fail "load: ip link help ovl prints the plugin's usage"
fi

# Installed where ip looks by default: its compiled-in directory, which
# on Debian is the multiarch /usr/lib/<triplet>/ip, not upstream's.
libdir=$(strings "$IP" | grep -m1 -E '^/usr/lib(/[^/]+)?/ip$')
make -C "$BUILD/tools/iproute2" install DESTDIR="$TMP_DIR/root" >/dev/null
if [ -n "$libdir" ] && cmp -s "$SO" "$TMP_DIR/root$libdir/link_ovl.so"; then
	ok "install: make install DESTDIR=D puts it in D$libdir, where ip looks"
else
	fail "install: make install DESTDIR=D puts it where ip looks" \
		"ip's directory: ${libdir:-not found}; installed: $(cd "$TMP_DIR/root" && find . -name '*.so')"
fi
make -C "$BUILD/tools/iproute2" clean >/dev/null
if [ ! -e "$SO" ] && [ ! -e "$BUILD/tools/iproute2/test-lib" ]; then
	ok "clean: make clean removes what make built"
else
	fail "clean: make clean removes what make built"
fi

finish
