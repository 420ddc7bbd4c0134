#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The FDB under concurrency: while traffic flows both ways and host 1
# sends from 200 changing source MACs (host 2 learns them, with ageing 1 s
# they age out and are learned again), on host 2 four processes add,
# replace, append and delete entries with `bridge -force -batch` (racing
# each other and learning on the same MACs), one dumps the FDB in a loop
# and one flips ageing and learning.  Afterwards every process has
# finished, the only errors are the expected races (entry exists / not
# found), the FDB holds exactly what the sequence of operations must leave,
# learned entries age out, and the device forwards.

. "$(dirname "$0")/lib.sh"
need_ovl_args
command -v python3 >/dev/null || skip_all "python3 is not installed"

H1=$(ns_of 1)
H2=$(ns_of 2)
WRITERS=4
ROUNDS=8
MACS=25
hosts_direct
for i in 1 2; do
	j=$((3 - i))
	must ovl_add "$(ns_of $i)" ovl0 id 42 local "$(u4 $i)" remote "$(u4 $j)" \
		dev eth0 learning ageing 1
	ovl_up "$(ns_of $i)" ovl0 "$(o4 $i)/24"
done

# entries NS: the overlay FDB entries of ovl0 (lines with a destination),
# without the device's own address list.
entries() { fdb "$1" ovl0 | grep ' dst '; }
count_of() { entries "$H2" | grep -c -- "$1"; }
learned_some() { [ "$(count_of '^02:cc:')" -ge 10 ]; }

# MAC churn: broadcast frames from 02:cc:00:00:00:00..c7 out of host 1's
# ovl0, 200 every 50 ms (the pause is the rate, not a synchronisation),
# for at most 300 s (python starts slowly on the debug kernel: 60 s to learn).
cat > "$TMP_DIR/churn.py" <<'EOF'
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
end = time.time() + 300
while time.time() < end:
    for i in range(200):
        src = bytes([2, 0xcc, 0, 0, 0, i])
        # IEEE local experimental ethertype 0x88b5, minimum frame size.
        s.send(b'\xff' * 6 + src + b'\x88\xb5' + bytes(46))
    time.sleep(0.05)
EOF
spawn "$H1" "$TMP_DIR/churn.log" python3 "$TMP_DIR/churn.py" ovl0
CHURN=$SPAWNED
spawn "$H1" "$TMP_DIR/ping1.log" ping -q -i 0.01 -w 300 "$(o4 2)"
PING1=$SPAWNED
spawn "$H2" "$TMP_DIR/ping2.log" ping -q -i 0.01 -w 300 "$(o4 1)"
PING2=$SPAWNED

C="learning with ageing 1 s under MAC churn"
if wait_for 60 learned_some; then ok "$C"; else fail "$C" "$(count_of '^02:cc:') of 200 MACs learned"; fi

# Writer W: per round and MAC, a static entry on a MAC that is being
# learned, a permanent entry of its own, its own default remote; each
# deleted again by the same writer, so that once all are done none of
# them may remain, whatever the interleaving.  Last, a marker entry.
for w in $(seq 1 $WRITERS); do
	for r in $(seq 1 $ROUNDS); do
		for m in $(seq 0 $((MACS - 1))); do
			x=$(printf '%02x' "$m")
			echo "fdb replace 02:cc:00:00:00:$x dev ovl0 dst 10.0.0.5$w self static"
			echo "fdb add 02:aa:00:00:0$w:$x dev ovl0 dst 10.0.0.5$w self permanent"
			echo "fdb append 00:00:00:00:00:00 dev ovl0 dst 10.0.1.$w self"
			echo "fdb del 02:cc:00:00:00:$x dev ovl0 self"
			echo "fdb del 02:aa:00:00:0$w:$x dev ovl0 self"
			echo "fdb del 00:00:00:00:00:00 dev ovl0 dst 10.0.1.$w self"
		done
	done > "$TMP_DIR/writer$w.batch"
	echo "fdb add 02:bb:00:00:00:0$w dev ovl0 dst 10.0.0.10$w self permanent" \
		>> "$TMP_DIR/writer$w.batch"
done

PIDS=()
for w in $(seq 1 $WRITERS); do
	spawn "$H2" "$TMP_DIR/writer$w.log" bridge -force -batch "$TMP_DIR/writer$w.batch"
	PIDS+=("$SPAWNED")
done
# The reader and the configurer run until the writers are done (the file
# $STOP appears), at most 300 and 20 times.
STOP=$TMP_DIR/writers-done
spawn "$H2" "$TMP_DIR/reader.log" bash -c "for i in \$(seq 300); do
	[ -e $STOP ] && exit 0
	bridge fdb show dev ovl0 > /dev/null || exit 1
done"
READER=$SPAWNED
spawn "$H2" "$TMP_DIR/config.log" bash -c "for i in \$(seq 20); do
	[ -e $STOP ] && exit 0
	ip link set ovl0 type $KIND ageing 2 nolearning || exit 1
	ip link set ovl0 type $KIND ageing 1 learning || exit 1
done"
CONFIG=$SPAWNED

# Bounded wait for all of them: each must end by itself.
alive() {
	local p
	for p in "$@"; do kill -0 "$p" 2>/dev/null && return 0; done
	return 1
}
writers_done() { ! alive "${PIDS[@]}"; }
all_done() { ! alive "${PIDS[@]}" "$READER" "$CONFIG"; }
C="$WRITERS writers, a reader and a configurer race with traffic: all finish"
t0=$(now_ms)
wait_for 180 writers_done
echo "writers done in $(( $(now_ms) - t0 )) ms"
touch "$STOP"
if wait_for 60 all_done; then
	ok "$C"
else
	fail "$C" "still running 60 s after the writers"
fi
rc=0
wait "$READER" || rc=$?
C="FDB dumps during the race succeed"
if [ $rc = 0 ]; then ok "$C"; else fail "$C" "bridge fdb show failed: $(tail -n 3 "$TMP_DIR/reader.log")"; fi
rc=0
wait "$CONFIG" || rc=$?
C="ageing/learning changes during the race succeed"
if [ $rc = 0 ]; then ok "$C"; else fail "$C" "$(tail -n 3 "$TMP_DIR/config.log")"; fi

# The races make deletes miss and adds collide; nothing else may fail.
C="writers see only 'exists' and 'not found' errors"
other=$(cat "$TMP_DIR"/writer*.log | grep -v -e '^$' -e '^Command failed' \
	-e 'No such file or directory' -e 'File exists' \
	-e 'Error: .*\(No such\|does not exist\|already exists\|not found\)' |
	head -n 5)
if [ -z "$other" ]; then ok "$C"; else fail "$C" "$other"; fi
echo "writer errors: $(cat "$TMP_DIR"/writer*.log | grep -c 'Command failed')"

C="each writer's final entry is there, once"
bad=
for w in $(seq 1 $WRITERS); do
	[ "$(count_of "^02:bb:00:00:00:0$w dst 10.0.0.10$w .*permanent")" = 1 ] || bad="$bad $w"
done
if [ -z "$bad" ]; then ok "$C"; else fail "$C" "writers$bad"; fi

C="a unicast MAC has one remote at most"
dups=$(entries "$H2" | awk '$1 != "00:00:00:00:00:00" { print $1 }' | sort | uniq -d | head -n 3)
if [ -z "$dups" ]; then ok "$C"; else fail "$C" "several entries for $dups"; fi

C="no entry the writers deleted remains"
n_aa=$(count_of '^02:aa:')
n_def=$(count_of '^00:00:00:00:00:00 dst 10.0.1.')
n_st=$(entries "$H2" | grep '^02:cc:' | grep -c -e ' static' -e ' permanent')
if [ "$n_aa$n_def$n_st" = 000 ]; then
	ok "$C"
else
	fail "$C" "$n_aa own, $n_def default remotes, $n_st static left"
fi
C="the configured default remote survived"
if [ "$(count_of '^00:00:00:00:00:00 dst 10.0.0.1 ')" = 1 ]; then ok "$C"; else fail "$C" "$(entries "$H2" | grep '^00:00:00:00:00:00')"; fi

# Quiet now: with no traffic every learned entry must age out, leaving
# exactly the default remote and the writers' markers.
stop "$CHURN"
stop "$PING1"
stop "$PING2"
only_static_left() { [ "$(entries "$H2" | wc -l)" = $((WRITERS + 1)) ]; }
C="learned entries age out once the traffic stops"
if wait_for 30 only_static_left; then
	ok "$C"
else
	fail "$C" "$(entries "$H2" | wc -l) entries, not $((WRITERS + 1)): $(entries "$H2" | grep -v -e '^02:bb' -e '^00:00' | head -n 3)"
fi

C="still forwards after the race"
if ping_ok "$H1" "$(o4 2)" && ping_ok "$H2" "$(o4 1)"; then ok "$C"; else fail "$C" "overlay ping unanswered"; fi

finish
