#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/vm/host-state.sh, which make check and make demo are judged by
# (the host as it was: git status, /boot, /lib/modules, kernel packages),
# on scratch directories and a scratch git tree: an unchanged state
# compares equal, and each kind of change is reported.

# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

HS=$TOP_DIR/tools/vm/host-state.sh
command -v git >/dev/null || skip_all "git is not installed"
export OVL_HOST_STATE_DIRS="$TMP_DIR/boot $TMP_DIR/modules"
export OVL_HOST_STATE_REPO=$TMP_DIR/tree
mkdir -p "$TMP_DIR/boot" "$TMP_DIR/modules/6.1.0-1-amd64/kernel" "$OVL_HOST_STATE_REPO"
echo image >"$TMP_DIR/boot/vmlinuz-6.1.0-1-amd64"
echo module >"$TMP_DIR/modules/6.1.0-1-amd64/kernel/a.ko"
must git -C "$OVL_HOST_STATE_REPO" init -q
echo x >"$OVL_HOST_STATE_REPO/tracked"
must git -C "$OVL_HOST_STATE_REPO" add tracked
must git -C "$OVL_HOST_STATE_REPO" -c user.name=t -c user.email=t@t commit -qm t

rec=$TMP_DIR/state
must sh "$HS" save "$rec"
# The directories' mtimes, to undo the changes below completely.
boot_t=$(stat -c %y "$TMP_DIR/boot")
modules_t=$(stat -c %y "$TMP_DIR/modules")
check "an unchanged host compares equal, silently" \
	eval "[ -z \"\$(sh '$HS' compare '$rec')\" ]"

# changed CASE REGEX: compare fails and its diff matches REGEX; then the
# change is undone by the caller and the state must compare equal again.
changed() {
	local out
	if out=$(sh "$HS" compare "$rec"); then
		fail "$1" "compare found no difference"
	elif printf '%s\n' "$out" | grep -Eq -- "$2"; then
		ok "$1"
	else
		printf '%s\n' "$out"
		fail "$1" "the difference does not name /$2/"
	fi
}

echo y >"$OVL_HOST_STATE_REPO/new"
changed "an untracked file in the tree is a change" '^\+\?\? new$'
rm "$OVL_HOST_STATE_REPO/new"
echo z >"$OVL_HOST_STATE_REPO/tracked"
changed "a modified tracked file is a change" '^\+ M tracked$'
git -C "$OVL_HOST_STATE_REPO" checkout -q tracked
echo initrd >"$TMP_DIR/boot/initrd.img-6.1.0-1-amd64"
changed "a new file under /boot is a change" 'initrd\.img-6\.1\.0-1-amd64'
rm "$TMP_DIR/boot/initrd.img-6.1.0-1-amd64"
# Same size, same mtime, other bytes: only the checksum tells.
cp -p "$TMP_DIR/boot/vmlinuz-6.1.0-1-amd64" "$TMP_DIR/vmlinuz.orig"
echo IMAGE >"$TMP_DIR/boot/vmlinuz-6.1.0-1-amd64"
touch -r "$TMP_DIR/vmlinuz.orig" "$TMP_DIR/boot/vmlinuz-6.1.0-1-amd64"
changed "a file under /boot rewritten in place is a change" 'vmlinuz-6\.1\.0-1-amd64'
cp -p "$TMP_DIR/vmlinuz.orig" "$TMP_DIR/boot/vmlinuz-6.1.0-1-amd64"
mkdir "$TMP_DIR/modules/6.12.0-1-amd64"
changed "a new module tree is a change" 'modules/6\.12\.0-1-amd64 d'
rmdir "$TMP_DIR/modules/6.12.0-1-amd64"
# A file made and removed leaves its directory's mtime changed: a
# change too (the harness must not write there at all).
changed "a file made and removed under /boot is a change" "^\+$TMP_DIR/boot d "
touch -d "$boot_t" "$TMP_DIR/boot"
touch -d "$modules_t" "$TMP_DIR/modules"
check "undone, mtimes included, the host compares equal again" sh "$HS" compare "$rec"
check_err "compare without a record is an error" "no recorded state" \
	sh "$HS" compare "$TMP_DIR/none"
check_err "an unknown command is an error" "usage" sh "$HS" bogus

finish
