#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Test ovl's Debian packages: build them with build-debs.sh, check their
# fields and contents, run lintian, install ovl-tools into a scratch root,
# build the ovl-dkms source with dkms for each kernel of the suite (their
# headers unpacked in ~/.cache/ovl; a kernel of another Debian release
# with that release's dkms and compiler, in its chroot: tools/vm/kbuild.sh)
# in a throw-away dkms tree, and with OVL_PKG_VM=1 install, use and remove all
# of them for real inside a 6.1 VM (vm-install-test.sh: 10 to 15 minutes
# under TCG, dkms's build and depmod runs dominate, hence opt-in).  Leaves
# no trace on this host: the dkms tree, signing key and debs are scratch.
#   bash tools/packaging/test-packages.sh
# One [PASS]/[FAIL]/[SKIP] line per case; exit 0, 1 or 4 (kselftest).

# shellcheck source=../../selftests/lib.sh
. "$(dirname "$0")/../../selftests/lib.sh"

PKG=$TOP_DIR/tools/packaging
for c in dpkg-deb dpkg-shlibdeps make gcc; do
	command -v "$c" >/dev/null || skip_all "$c is not installed"
done
version=$(cat "$PKG/VERSION")
out=$TMP_DIR/debs
root=$TMP_DIR/root

# The kernels of the VM suite (OVL_PKG_KERNELS: those of this make check)
# whose headers are in the cache.
. "$TOP_DIR/tools/vm/kernels.sh"
series_list=()
for series in ${OVL_PKG_KERNELS:-$OVL_KERNELS_ALL}; do
	[ "$series" = debug ] && continue
	sh "$TOP_DIR/tools/vm/kernel-kdir.sh" "$series" >/dev/null 2>&1 && series_list+=("$series")
done
abi61=$(sh "$TOP_DIR/tools/vm/kernel-abi.sh" 6.1 2>/dev/null)
sh "$TOP_DIR/tools/vm/kernel-kdir.sh" 6.1 >/dev/null 2>&1 || abi61=

# field DEB NAME: one control field of a .deb.
field() { dpkg-deb -f "$1" "$2"; }
# has_field CASE DEB NAME REGEX: the field matches the extended REGEX.
has_field() {
	local v
	v=$(field "$2" "$3")
	if printf '%s\n' "$v" | grep -Eq -- "$4"; then
		ok "$1"
	else
		fail "$1" "$3 is '$v', expected /$4/"
	fi
}
# files DEB: the paths a .deb installs, without "./", sorted.
files() { dpkg-deb -c "$1" | awk '{ print $6 }' | sed 's|^\./||; /\/$/d' | LC_ALL=C sort; }

# --- bad input: a clear error and no output at all -------------------------

# bad_build CASE REGEX CMD...: CMD, a build into $TMP_DIR/bad, fails with
# a message matching REGEX, before creating anything.
bad_build() {
	local name=$1 re=$2
	shift 2
	rm -rf "$TMP_DIR/bad"
	if check_err "$name" "$re" "$@" && [ -e "$TMP_DIR/bad" ]; then
		fail "$name: creates nothing" "$TMP_DIR/bad was created"
	fi
}
bad_build "build-debs.sh rejects a kernel without headers" "no headers for kernel" \
	sh "$PKG/build-debs.sh" -k 0.0.0-none "$TMP_DIR/bad"
bad_build "build-debs.sh rejects a Debian revision in the version" "may only contain" \
	env OVL_VERSION=0.1.0-1 sh "$PKG/build-debs.sh" "$TMP_DIR/bad"
check_err "build-debs.sh rejects an unknown option" "usage" sh "$PKG/build-debs.sh" --bogus

# --- build ------------------------------------------------------------------

kargs=()
[ -n "$abi61" ] && kargs=(-k "$abi61")
echo "+ sh build-debs.sh ${kargs[*]} $out"
if ! sh "$PKG/build-debs.sh" "${kargs[@]}" "$out" >"$TMP_DIR/built" 2>"$TMP_DIR/build.log"; then
	cat "$TMP_DIR/build.log"
	die "build-debs.sh ${kargs[*]} failed"
fi
cat "$TMP_DIR/built"
dkms_deb=$out/ovl-dkms_${version}_all.deb
tools_deb=$out/ovl-tools_${version}_$(dpkg --print-architecture).deb
mod_deb=
[ ${#kargs[@]} -gt 0 ] && mod_deb=$out/ovl-modules-${abi61}_${version}_$(dpkg --print-architecture).deb
# shellcheck disable=SC2086 # no ovl-modules: no line
want=$(printf '%s\n' "$dkms_deb" "$tools_deb" $mod_deb)
check "build-debs.sh prints the .debs it built" \
	test "$(cat "$TMP_DIR/built")" = "$want"
for d in $want; do
	[ -f "$d" ] || die "$d is missing"
done

# --- ovl-dkms ---------------------------------------------------------------

has_field "ovl-dkms: Package" "$dkms_deb" Package '^ovl-dkms$'
has_field "ovl-dkms: Version from tools/packaging/VERSION" "$dkms_deb" Version "^${version//./\\.}\$"
has_field "ovl-dkms: Architecture all" "$dkms_deb" Architecture '^all$'
has_field "ovl-dkms: Depends on dkms" "$dkms_deb" Depends '(^|, )dkms( |,|$)'

src=usr/src/ovl-$version
files "$dkms_deb" | grep "^$src/" | sed "s|^$src/||" >"$TMP_DIR/dkms.files"
(cd "$TOP_DIR" && { git ls-files -- Kbuild Makefile drivers include; echo dkms.conf; } |
	LC_ALL=C sort) >"$TMP_DIR/dkms.want"
check "ovl-dkms: /$src holds the module sources and dkms.conf, nothing built" \
	diff -u "$TMP_DIR/dkms.want" "$TMP_DIR/dkms.files"

mkdir -p "$TMP_DIR/dkms-root"
must dpkg-deb -x "$dkms_deb" "$TMP_DIR/dkms-root"
# dkms sources dkms.conf with these set; bash does the same here.
conf=$(kernel_source_dir=/K dkms_tree=/T bash -c '
	set -u; . "$1"
	printf "%s|" "$PACKAGE_NAME" "$PACKAGE_VERSION" "${MAKE[0]}" \
		"${BUILT_MODULE_NAME[0]}" "${DEST_MODULE_LOCATION[0]}" "$AUTOINSTALL"' \
	_ "$TMP_DIR/dkms-root/$src/dkms.conf")
check "ovl-dkms: dkms.conf runs 'make module KDIR=\$kernel_source_dir' for ovl.ko" \
	test "$conf" = "ovl|$version|make module KDIR=/K|ovl|/updates/dkms|yes|"

# --- ovl-tools --------------------------------------------------------------

iplib=usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/ip
has_field "ovl-tools: Depends on libmnl0, iproute2" "$tools_deb" Depends \
	'libmnl0.*, iproute2$'
has_field "ovl-tools: Depends on libcurl4 and libjson-c5 (ovl-agent)" "$tools_deb" Depends \
	'libcurl4.*libjson-c5'
has_field "ovl-tools: Architecture $(dpkg --print-architecture)" "$tools_deb" \
	Architecture "^$(dpkg --print-architecture)\$"
files "$tools_deb" >"$TMP_DIR/tools.files"
for f in usr/sbin/ovlctl usr/share/man/man8/ovlctl.8.gz \
	usr/share/bash-completion/completions/ovlctl "$iplib/link_ovl.so" \
	usr/sbin/ovl-agent usr/share/man/man8/ovl-agent.8.gz \
	lib/systemd/system/ovl-agent.service usr/share/doc/ovl-tools/copyright; do
	check "ovl-tools: has /$f" grep -qx "$f" "$TMP_DIR/tools.files"
done

# Installed with dpkg into an empty scratch root: its own database, so
# dependencies are not there (--force-depends); no maintainer scripts.
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
: >"$root/var/lib/dpkg/status"
if pp dpkg --root="$root" --force-depends -i "$tools_deb" >"$TMP_DIR/dpkg.log" 2>&1; then
	ok "ovl-tools: dpkg --root installs it"
else
	cat "$TMP_DIR/dpkg.log"
	fail "ovl-tools: dpkg --root installs it" "dpkg -i failed"
fi
check "ovl-tools: dpkg --verify finds every file as packaged" \
	eval "[ -z \"\$(dpkg --root='$root' --verify ovl-tools)\" ]"
check "ovl-tools: the installed ovlctl runs and says the package's version" eval \
	"[ \"\$('$root/usr/sbin/ovlctl' -V)\" = 'ovlctl $version' ]"
check "ovl-tools: ip loads the installed plugin" eval \
	"IP_LIB_DIR='$root/$iplib' ip link add o0 type ovl help 2>&1 | grep -q 'ovl \\[ id VNI \\]'"
check "ovl-tools: the man page is a gzipped ovlctl(8)" eval \
	"zcat '$root/usr/share/man/man8/ovlctl.8.gz' | grep -q '^\\.TH OVLCTL 8'"
check "ovl-tools: the bash completion parses" bash -n \
	"$root/usr/share/bash-completion/completions/ovlctl"
check "ovl-tools: the installed ovl-agent runs and says the package's version" eval \
	"[ \"\$('$root/usr/sbin/ovl-agent' --version)\" = '$version' ]"
check "ovl-tools: the man page is a gzipped ovl-agent(8)" eval \
	"zcat '$root/usr/share/man/man8/ovl-agent.8.gz' | grep -q '^\\.TH OVL-AGENT 8'"
check "ovl-tools: the unit starts /usr/sbin/ovl-agent" \
	grep -qx 'ExecStart=/usr/sbin/ovl-agent \$OVL_AGENT_OPTS' "$root/lib/systemd/system/ovl-agent.service"
pp dpkg --root="$root" -r ovl-tools >/dev/null
check "ovl-tools: dpkg --root -r removes every file" \
	eval "[ -z \"\$(find '$root' -type f ! -path '$root/var/lib/dpkg/*')\" ]"

# --- ovl-modules-ABI --------------------------------------------------------

if [ -n "$mod_deb" ]; then
	has_field "ovl-modules-$abi61: Depends on its kernel" "$mod_deb" Depends \
		"^linux-image-$abi61( |,|\$)"
	mkdir -p "$TMP_DIR/mod-root" "$TMP_DIR/mod-ctl"
	must dpkg-deb -x "$mod_deb" "$TMP_DIR/mod-root"
	must dpkg-deb -e "$mod_deb" "$TMP_DIR/mod-ctl"
	ko=$TMP_DIR/mod-root/lib/modules/$abi61/updates/ovl.ko
	check "ovl-modules-$abi61: /lib/modules/$abi61/updates/ovl.ko is built for $abi61" \
		eval "modinfo -F vermagic '$ko' | grep -q '^$abi61 '"
	check "ovl-modules-$abi61: postinst runs depmod for $abi61" \
		grep -q "^[[:space:]]*depmod -a $abi61\$" "$TMP_DIR/mod-ctl/postinst"
else
	skip "ovl-modules" "no headers for the 6.1 kernel (make deps)"
fi

# --- lintian ----------------------------------------------------------------

# Errors fail; warnings and pedantic tags are shown, they do not fail.
if command -v lintian >/dev/null; then
	for d in $want; do
		n=$(basename "$d")
		lintian --pedantic -I "$d" >"$TMP_DIR/lintian" 2>&1
		grep -v '^running with root' "$TMP_DIR/lintian"
		if grep -q '^E: ' "$TMP_DIR/lintian"; then
			fail "lintian: $n" "error tags above"
		else
			ok "lintian: $n"
		fi
	done
else
	skip "lintian" "lintian is not installed"
fi

# --- dkms builds, in a throw-away tree --------------------------------------

# The state of this host that dkms could touch, before and after.
host_dkms() { ls -R /var/lib/dkms /lib/modules/*/updates 2>/dev/null; }
before=$(host_dkms)
if ! command -v dkms >/dev/null; then
	skip "dkms" "dkms is not installed"
elif [ ${#series_list[@]} = 0 ]; then
	skip "dkms" "no kernel headers in ~/.cache/ovl (make deps)"
else
	# dkms signs what it builds, with a key it makes in /var/lib/dkms
	# unless told otherwise.
	export mok_signing_key=$TMP_DIR/mok.key mok_certificate=$TMP_DIR/mok.pub
	for series in "${series_list[@]}"; do
		abi=$(sh "$TOP_DIR/tools/vm/kernel-abi.sh" "$series")
		kdir=$(sh "$TOP_DIR/tools/vm/kernel-kdir.sh" "$series")
		where=$(sh "$TOP_DIR/tools/vm/kbuild.sh" --describe "$series")
		# Where that kernel's release builds: here, or its chroot (which
		# sees $TMP_DIR and ~/.cache/ovl at the same paths).
		K=(env -C "$TMP_DIR" sh "$TOP_DIR/tools/vm/kbuild.sh" -b "$TMP_DIR" "$series")
		tree=$TMP_DIR/dkms-$series
		mkdir -p "$tree"
		D=(dkms --dkmstree "$tree" --sourcetree "$TMP_DIR/dkms-root/usr/src")
		dv=$("${K[@]}" dkms --version 2>&1 | head -n 1)
		# --no-prepare-kernel --no-clean-kernel: else dkms 2.8 runs make
		# mrproper in a headers tree given by --kernelsourcedir, before
		# and after the build, and empties its .config.
		headers() { find -L "$kdir/" -printf '%p %s %T@\n' 2>/dev/null | LC_ALL=C sort | sha256sum; }
		hbefore=$(headers)
		if ! pp "${K[@]}" "${D[@]}" add -m ovl -v "$version" ||
		   ! pp "${K[@]}" "${D[@]}" build -m ovl -v "$version" -k "$abi" \
			--no-prepare-kernel --no-clean-kernel --kernelsourcedir "$kdir"; then
			cat "$tree/ovl/$version/build/make.log" 2>/dev/null
			fail "dkms build for $abi ($dv, $where)" "dkms add/build failed"
			continue
		fi
		# Compressed as the kernel's own modules are (6.12: .ko.xz).
		ko=$(ls "$tree/ovl/$version/$abi/"*/module/ovl.ko* 2>/dev/null | head -n 1)
		check "dkms build for $abi ($dv, $where): ovl.ko for $abi" \
			eval "[ -n '$ko' ] && modinfo -F vermagic '$ko' | grep -q '^$abi '"
		check "dkms build for $abi leaves its headers in ~/.cache/ovl as they were" \
			test "$hbefore" = "$(headers)"
		must "${K[@]}" "${D[@]}" remove -m ovl -v "$version" --all
		check "dkms remove --all empties the $series tree" \
			eval "[ -z \"\$(ls '$tree')\" ]"
	done
fi
check "this host's /var/lib/dkms and /lib/modules/*/updates are untouched" \
	test "$before" = "$(host_dkms)"

# --- for real, in a VM --------------------------------------------------------

if [ "${OVL_PKG_VM:-0}" != 1 ]; then
	skip "VM install" "set OVL_PKG_VM=1 to install the packages in a VM"
elif [ -z "$abi61" ] || ! command -v dkms >/dev/null; then
	skip "VM install" "no 6.1 kernel recorded (make deps) or no dkms"
else
	# The VM sees this host's files; its writes go to a RAM overlay.
	sh "$TOP_DIR/tools/vm/run.sh" -k 6.1 --timeout 2400 -- \
		bash "$PKG/vm-install-test.sh" "$out" >"$TMP_DIR/vm.log" 2>&1
	rc=$?
	grep -v 'Reading database \.\.\. ' "$TMP_DIR/vm.log"
	PASSES=$((PASSES + $(grep -c '^\[PASS\] ' "$TMP_DIR/vm.log")))
	FAILS=$((FAILS + $(grep -c '^\[FAIL\] ' "$TMP_DIR/vm.log")))
	SKIPS=$((SKIPS + $(grep -c '^\[SKIP\] ' "$TMP_DIR/vm.log")))
	case $rc in
	0|4) ;;
	1) grep -q '^\[FAIL\] ' "$TMP_DIR/vm.log" || fail "VM install" "exit 1 without a [FAIL] line" ;;
	*) fail "VM install" "tools/vm/run.sh exit status $rc" ;;
	esac
fi

finish
