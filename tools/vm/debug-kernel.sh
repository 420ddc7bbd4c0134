#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Build (once) a checker kernel from Debian's linux-source-6.1
# (kernel-source.sh), x86_64 defconfig + a config fragment:
#   debug  the kernel of `make check-debug`: tools/vm/debug-kernel.config
#          (KASAN, kmemleak, lockdep, DEBUG_OBJECTS, refcount trackers)
#   kcsan  the data-race detector (`make check-kcsan`): the same fragment
#          with tools/vm/kcsan-kernel.config's settings over it (KCSAN
#          cannot share a kernel with KASAN)
#   debug-kernel.sh [FLAVOUR]           build it unless cached; print its directory
#   debug-kernel.sh --cached [FLAVOUR]  print the directory only if it is built
# The directory ($OVL_CACHE/<flavour>-kernel/<key>, key = hash of the
# fragment, the recipe version below, the source package's version and the
# compiler) holds
#   linux/   the built tree: KDIR for `make module`
#   root/    boot/vmlinuz-<abi> and lib/modules/<abi> (for modprobe -d)
# and the flavour's name then works as a series with kernel-abi.sh,
# kernel-kdir.sh, modroot.sh and run.sh -k FLAVOUR ($OVL_CACHE/abi/FLAVOUR
# holds the ABI).  Builds of a flavour's other keys are deleted: each takes
# a few GB.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cache=${OVL_CACHE:-$HOME/.cache/ovl}
jobs=${OVL_DEBUG_JOBS:-$(nproc)}
# Bump when a change to this script changes the kernel it builds.
recipe=1

usage() { echo "usage: $0 [--cached] [debug|kcsan]" >&2; exit 2; }
cached_only=0
[ "${1:-}" = --cached ] && { cached_only=1; shift; }
flavour=${1:-debug}
[ $# -le 1 ] || usage
case $flavour in debug|kcsan) ;; *) usage ;; esac
top=$cache/$flavour-kernel
frag=$here/debug-kernel.config

# The source is fetched into the cache (kernel-source.sh), never
# installed; --cached asks for nothing to be fetched.
if [ "$cached_only" = 1 ]; then
	tarball=$(sh "$here/kernel-source.sh" --cached) || exit 1
else
	tarball=$(sh "$here/kernel-source.sh") || exit 1
fi
srcver=$(sh "$here/kernel-source.sh" --version)
# The fragment: for kcsan, debug-kernel.config with each symbol that
# kcsan-kernel.config sets taken from there instead (the last setting of a
# symbol wins, so every line left can be verified below).
fragment() {
	if [ "$flavour" = debug ]; then
		cat "$frag"
		return
	fi
	cat "$frag" "$here/kcsan-kernel.config" | awk '
		{ line[NR] = $0; sym = "" }
		/^CONFIG_[A-Z0-9_]*=/ { sym = $0; sub(/=.*/, "", sym) }
		/^# CONFIG_[A-Z0-9_]* is not set$/ { sym = $2 }
		sym != "" { last[sym] = NR; name[NR] = sym }
		END { for (i = 1; i <= NR; i++)
			if (!(i in name) || last[name[i]] == i) print line[i] }'
}
key=$( { fragment; echo "$recipe $srcver"; gcc --version | head -n 1; } |
	sha256sum | cut -c1-16)
dir=$top/$key

if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi
[ "$cached_only" = 0 ] || { echo "$0: the $flavour kernel is not built (run $0 $flavour)" >&2; exit 1; }

mkdir -p "$top"
# One build at a time (check.sh may ask for the kernel from two places).
exec 9> "$top/lock"
flock 9
if [ -f "$dir/.complete" ]; then
	echo "$dir"
	exit 0
fi

# Built in place, never moved: the tree's files record absolute paths.
rm -rf "$dir"
mkdir -p "$dir/linux" "$dir/root/boot"
log=$dir/build.log
fragment > "$dir/fragment.config"
echo "debug-kernel: building the $flavour kernel, linux-source-$srcver, in $dir (log: $log; 10-60 min, by the load)" >&2
t0=$(date +%s)

fail() {
	echo "debug-kernel: $1 (log: $log):" >&2
	tail -n 30 "$log" | sed 's/^/debug-kernel:   /' >&2
	exit 1
}

k() { nice make -C "$dir/linux" -j"$jobs" "$@" >> "$log" 2>&1; }

tar -xJf "$tarball" -C "$dir/linux" --strip-components=1 || fail "cannot unpack $tarball"
k x86_64_defconfig || fail "defconfig failed"
(cd "$dir/linux" && ./scripts/kconfig/merge_config.sh -m .config "$dir/fragment.config") >> "$log" 2>&1 ||
	fail "merging the fragment failed"
k olddefconfig || fail "olddefconfig failed"

# Kconfig drops what it cannot satisfy without a word: verify every setting.
bad=$(sed -n -e 's/^\(CONFIG_[A-Z0-9_]*=.*\)$/want \1/p' \
	-e 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/unset \1/p' "$dir/fragment.config" |
while read -r how what; do
	case $how in
	want) grep -qxF "$what" "$dir/linux/.config" || echo "$what" ;;
	unset) grep -qE "^$what=[ym]" "$dir/linux/.config" && echo "$what=n" ;;
	esac
done || true)
[ -z "$bad" ] || fail "the config lacks: $(echo $bad)"

k bzImage modules || fail "the build failed"
abi=$(make -s -C "$dir/linux" kernelrelease)
k modules_install INSTALL_MOD_PATH="$dir/root" INSTALL_MOD_STRIP=1 ||
	fail "modules_install failed"
cp "$dir/linux/arch/x86/boot/bzImage" "$dir/root/boot/vmlinuz-$abi"
touch "$dir/.complete"

mkdir -p "$cache/abi"
echo "$abi" > "$cache/abi/$flavour"
for old in "$top"/*/; do
	old=${old%/}
	[ "$old" = "$dir" ] || rm -rf "$old"
done
echo "debug-kernel: built $abi in $(( $(date +%s) - t0 )) s" >&2
echo "$dir"
