# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared setup of the ovl-agent tests (agent*.sh), sourced after lib.sh.
#
# TOPOLOGY: hosts 1..N and etcd members 1..3 on one switch (lib.sh's
# hosts_switch): host i is 10.0.0.i, member k is 10.0.0.(100+k), each in
# its own netns, so that one member can be killed and all can be stopped.
# etcd is Debian's etcd-server, started here, data on the VM's RAM disk.
#
# A host runs either ovl-agent (agent_start), or is "a flanneld node as
# far as anyone can tell" (flannel_node): its lease written with etcdctl
# in flannel's exact format, a kernel vxlan device programmed the way
# flanneld programs it.  Containers are attached by Debian's CNI bridge
# and host-local plugins, run from the node's conflist by cni_runtime.py.

AGENT=$TOP_DIR/tools/agent/ovl-agent
PREFIX=/coreos.com/network
NETWORK=10.244.0.0/16

agent_need() {
	[ -x "$AGENT" ] || skip_all "tools/agent/ovl-agent is not built (make tools)"
	for t in etcd etcdctl python3 iptables; do
		command -v "$t" >/dev/null || skip_all "$t is not installed"
	done
	[ -x /usr/lib/cni/bridge ] && [ -x /usr/lib/cni/host-local ] ||
		skip_all "Debian's containernetworking-plugins are not installed"
	if is_ovl_kind && [ ! -d /sys/module/ovl ] && ! modprobe -q ovl 2>/dev/null; then
		skip_all "the ovl module is neither loaded nor installed"
	fi
}

# etcd's graceful stop waits for a leader transfer that, with its peers
# gone, may never come: the members are killed outright at exit.
agent_cleanup() {
	local pid
	for pid in "${ETCD_PIDS[@]}"; do
		kill -9 "$pid" 2>/dev/null
		{ wait "$pid"; } 2>/dev/null	# (bash would say "Killed")
	done
	cleanup
}
trap agent_cleanup EXIT

etcd_ip() { printf '10.0.0.%s' $((100 + $1)); }
etcd_ns() { ns_of "etcd$1"; }
# ETCD_SCHEME=https (set before sourcing) serves clients over TLS:
# etcd_tls makes the certificates and fills the argument arrays.
# ETCD_MEMBERS (default 3, set before sourcing): the cluster's size.
ETCD_SCHEME=${ETCD_SCHEME:-http}
ETCD_MEMBERS=${ETCD_MEMBERS:-3}
ETCD_ENDPOINTS=
for k in $(seq 1 "$ETCD_MEMBERS"); do
	ETCD_ENDPOINTS="$ETCD_ENDPOINTS${ETCD_ENDPOINTS:+,}$ETCD_SCHEME://$(etcd_ip "$k"):2379"
done
ETCD_PIDS=()
ETCD_ARGS=()	# more etcd flags
ECTL_ARGS=()	# more etcdctl flags
AGENT_ARGS=()	# more ovl-agent flags (TLS, user)

# etcd_tls: a CA, a server certificate for the members' addresses and a
# client certificate, with openssl (ECDSA: cheap to make under TCG).  The
# client's has no CommonName: with auth on, etcd 3.4's JSON gateway
# refuses a client certificate that has one (it would stand for a user).
etcd_tls() {
	local d=$TMP_DIR/pki
	mkdir -p "$d"
	must openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$d/ca.key" -out "$d/ca.crt" -days 2 -subj /CN=ovlst-ca
	must openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$d/server.key" -out "$d/server.csr" -subj /CN=ovlst-etcd
	must openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$d/client.key" -out "$d/client.csr" -subj /O=ovlst-client
	printf 'subjectAltName=IP:%s,IP:%s,IP:%s\nextendedKeyUsage=serverAuth,clientAuth\n' \
		"$(etcd_ip 1)" "$(etcd_ip 2)" "$(etcd_ip 3)" > "$d/server.ext"
	printf 'extendedKeyUsage=clientAuth\n' > "$d/client.ext"
	for who in server client; do
		must openssl x509 -req -in "$d/$who.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
			-CAcreateserial -out "$d/$who.crt" -days 2 -extfile "$d/$who.ext"
	done
	ETCD_ARGS=(--cert-file "$d/server.crt" --key-file "$d/server.key"
		--trusted-ca-file "$d/ca.crt" --client-cert-auth)
	ECTL_ARGS=(--cacert "$d/ca.crt" --cert "$d/client.crt" --key "$d/client.key")
	AGENT_ARGS=(--etcd-cafile="$d/ca.crt" --etcd-certfile="$d/client.crt"
		--etcd-keyfile="$d/client.key")
}

# etcd_member K: the netns of member K on the switch (made by hosts_switch).
etcd_member() {
	local ns sw
	ns=$(etcd_ns "$1")
	sw=$(ns_of sw)
	ns_add "$ns"
	must ip -n "$ns" link add eth0 type veth peer name "e$1" netns "$sw"
	must ip -n "$sw" link set "e$1" master br0 up
	must ip -n "$ns" addr add "$(etcd_ip "$1")/24" dev eth0
	must ip -n "$ns" link set eth0 up
}

# etcd_run K: start member K (again: its data directory is kept).
etcd_run() {
	local k=$1 ip cluster=
	ip=$(etcd_ip "$k")
	for i in $(seq 1 "$ETCD_MEMBERS"); do
		cluster="$cluster${cluster:+,}e$i=http://$(etcd_ip "$i"):2380"
	done
	# Election and heartbeat 5x etcd's defaults: under TCG a member can
	# be descheduled for longer than the default election timeout.
	spawn "$(etcd_ns "$k")" "$TMP_DIR/etcd$k.log" etcd --name "e$k" \
		--data-dir "$TMP_DIR/etcd$k.data" \
		--listen-client-urls "$ETCD_SCHEME://$ip:2379" --advertise-client-urls "$ETCD_SCHEME://$ip:2379" \
		--listen-peer-urls "http://$ip:2380" --initial-advertise-peer-urls "http://$ip:2380" \
		--initial-cluster "$cluster" --initial-cluster-state new \
		--initial-cluster-token ovlst --heartbeat-interval 500 --election-timeout 5000 \
		"${ETCD_ARGS[@]}"
	ETCD_PIDS[$k]=$SPAWNED
}

# ectl ARGS...: etcdctl against the cluster, from member 1's netns (whose
# network stays when its process is killed).
ectl() {
	q "$(etcd_ns 1)" etcdctl --dial-timeout=3s --command-timeout=10s \
		--endpoints="$ETCD_ENDPOINTS" "${ECTL_ARGS[@]}" "$@"
}

etcd_healthy() {
	ectl endpoint health >/dev/null 2>&1
}

# etcd_writable: the cluster has a leader and takes a write (after a
# member was killed, an election may be under way).
etcd_writable() {
	ectl put /ovlst/probe "$(now_ms)" >/dev/null 2>&1
}

# eput KEY VALUE [ARGS...]: put, retried while the cluster elects a leader.
eput() {
	printf '+ etcdctl put %s\n' "$*"
	wait_for 60 ectl put "$@"
}

# etcd_revision: the store's current revision.
etcd_revision() {
	ectl get /ovlst/probe -w json | python3 -c 'import json,sys; print(json.load(sys.stdin)["header"]["revision"])'
}

# etcd_cluster: the members, started and health-checked.
etcd_cluster() {
	local k
	for k in $(seq 1 "$ETCD_MEMBERS"); do
		etcd_member "$k"
	done
	for k in $(seq 1 "$ETCD_MEMBERS"); do
		etcd_run "$k"
	done
	if ! wait_for 120 etcd_healthy || ! wait_for 60 etcd_writable; then
		tail -n 20 "$TMP_DIR"/etcd*.log
		die "the etcd cluster did not become healthy"
	fi
	pp ectl endpoint status -w table
}

# etcd_kill K: kill -9 member K.
etcd_kill() {
	printf '+ kill -9 etcd member %s\n' "$1"
	kill -9 "${ETCD_PIDS[$1]}" 2>/dev/null
	wait "${ETCD_PIDS[$1]}" 2>/dev/null
	return 0
}

# net_config JSON: write the network config.
net_config() {
	pp ectl put "$PREFIX/config" "$1" >/dev/null
}

# --- agents ----------------------------------------------------------------

node_dir() { printf '%s/n%s' "$TMP_DIR" "$1"; }
AGENT_PIDS=()

# agent_start I [FLAGS...]: run ovl-agent on host I (log appended to
# node_dir/agent.log across restarts).
agent_start() {
	local i=$1 d
	shift
	d=$(node_dir "$i")
	mkdir -p "$d"
	printf '+ [%s] ovl-agent %s &\n' "$(ns_of "$i")" "$*"
	OVL_AGENT_KIND=$KIND ip netns exec "$(ns_of "$i")" "$AGENT" \
		--etcd-endpoints="$ETCD_ENDPOINTS" --subnet-file="$d/subnet.env" \
		--cni-conf="$d/10-ovl.conflist" --status-file="$d/status.json" \
		-v 1 "${AGENT_ARGS[@]}" "$@" >>"$d/agent.log" 2>&1 &
	AGENT_PIDS[$i]=$!
	BG_PIDS+=("$!")
}

# agent_stop I [SIGNAL]: stop host I's agent (TERM by default) and reap it.
agent_stop() {
	kill "-${2:-TERM}" "${AGENT_PIDS[$1]}" 2>/dev/null
	wait "${AGENT_PIDS[$1]}" 2>/dev/null
	return 0
}

agent_alive() { kill -0 "${AGENT_PIDS[$1]}" 2>/dev/null; }

# agent_status I: `ovl-agent status -j` of host I.
agent_status() {
	"$AGENT" status -j --status-file "$(node_dir "$1")/status.json"
}

# agent_ready I: host I's agent holds a lease and has listed the others.
agent_ready() {
	agent_status "$1" 2>/dev/null | grep -q '"last_sync"'
}

# agent_log_has I REGEX
agent_log_has() {
	grep -Eq -- "$2" "$(node_dir "$1")/agent.log"
}

# subnet_of I: host I's subnet, from its subnet.env ("10.244.3.0/24").
subnet_of() {
	sed -n 's/^FLANNEL_SUBNET=\([0-9.]*\)\.1\/\([0-9]*\)$/\1.0\/\2/p' "$(node_dir "$1")/subnet.env"
}

# vtep_of SUBNET: a subnet's VTEP address ("10.244.3.0").
vtep_of() { printf '%s' "${1%/*}"; }

# lease_json I: the raw lease value host I holds in etcd.
lease_json() {
	local sn
	sn=$(subnet_of "$1")
	ectl get --print-value-only "$PREFIX/subnets/${sn%/*}-${sn#*/}"
}

# leases: what etcd_leases.py makes of every lease; from the file
# LEASES_FROM instead when set (a snapshot, for while etcd is down).
leases() {
	if [ -n "${LEASES_FROM:-}" ]; then
		cat "$LEASES_FROM"
		return
	fi
	ectl get --prefix "$PREFIX/subnets/" -w json | python3 "$SELFTESTS_DIR/etcd_leases.py"
}

# programmed NS SUBNET PUBIP MAC: host NS has flanneld's three entries
# for that peer on flannel.1: neighbour, FDB and onlink route.
programmed() {
	local ns=$1 sn=$2 pub=$3 mac=$4 gw
	gw=$(vtep_of "$sn")
	ip -n "$ns" neigh show dev flannel.1 "$gw" | grep -q "lladdr $mac PERMANENT" &&
		bridge -n "$ns" fdb show dev flannel.1 | grep -q "^$mac dst $pub self permanent" &&
		ip -n "$ns" route show "$sn" | grep -q "via $gw dev flannel.1 onlink"
}

# unprogrammed NS SUBNET: no entry for that subnet is left.
unprogrammed() {
	local ns=$1 sn=$2
	[ -z "$(ip -n "$ns" route show "$sn")" ] &&
		[ -z "$(ip -n "$ns" neigh show dev flannel.1 "$(vtep_of "$sn")")" ]
}

# all_programmed NS: every lease but NS's own is programmed on NS, and
# the device holds no other neighbour, FDB or route entry.
all_programmed() {
	local ns=$1 own=$2 sn pub mac n=0
	while read -r sn pub mac _; do
		[ "$sn" = SKIP ] && continue
		[ "$sn" = "$own" ] && continue
		programmed "$ns" "$sn" "$pub" "$mac" || return 1
		n=$((n + 1))
	done < <(leases)
	[ "$(ip -n "$ns" neigh show dev flannel.1 nud permanent | grep -c .)" = $n ] &&
		[ "$(bridge -n "$ns" fdb show dev flannel.1 | grep -c ' dst ')" = $n ] &&
		[ "$(ip -n "$ns" route show dev flannel.1 | grep -c .)" = $n ]
}

# agent_finish: finish, after printing the agents' logs if a case failed
# (they are deleted with TMP_DIR).
agent_finish() {
	local f
	if [ "$FAILS" -gt 0 ]; then
		for f in "$TMP_DIR"/n*/agent.log; do
			[ -f "$f" ] || continue
			echo "--- ${f#"$TMP_DIR"/}"
			tail -n 60 "$f"
		done
	fi
	finish
}

# --- a flanneld node -------------------------------------------------------

# flannel_node I SUBNET: host I as flanneld leaves it: a lease in
# flannel's format (bound to a 24 h etcd lease), a kernel vxlan
# flannel.1 (VNI 1, port 8472, nolearning), subnet.env and a conflist.
flannel_node() {
	local i=$1 sn=$2 ns d id mac
	ns=$(ns_of "$i")
	d=$(node_dir "$i")
	mkdir -p "$d"
	must ip -n "$ns" link add flannel.1 type vxlan id 1 local "$(u4 "$i")" dev eth0 \
		dstport 8472 nolearning
	must ip -n "$ns" addr add "$(vtep_of "$sn")/32" dev flannel.1
	must ip -n "$ns" link set flannel.1 up
	mac=$(mac_of "$ns" flannel.1)
	id=$(ectl lease grant 86400 | awk '{print $2}')
	must ectl put --lease="$id" "$PREFIX/subnets/${sn%/*}-${sn#*/}" \
		"{\"PublicIP\":\"$(u4 "$i")\",\"PublicIPv6\":null,\"BackendType\":\"vxlan\",\"BackendData\":{\"VNI\":1,\"VtepMAC\":\"$mac\"}}"
	printf 'FLANNEL_NETWORK=%s\nFLANNEL_SUBNET=%s.1/%s\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=false\n' \
		"$NETWORK" "${sn%.0/*}" "${sn#*/}" > "$d/subnet.env"
	python3 - "$sn" "$NETWORK" > "$d/10-ovl.conflist" <<-'PY'
	import json, sys
	sn, nw = sys.argv[1:]
	print(json.dumps({"name": "cbr0", "cniVersion": "0.3.1", "plugins": [{
	    "type": "bridge", "bridge": "cni0", "isGateway": True,
	    "isDefaultGateway": True, "hairpinMode": True, "ipMasq": True,
	    "mtu": 1450, "ipam": {"type": "host-local",
	    "ranges": [[{"subnet": sn}]], "routes": [{"dst": nw}]}}]}))
	PY
}

# flannel_sync I: program every other lease on host I as flanneld's vxlan
# backend does (neighbour, FDB, onlink route: replace), and remove the
# entries of subnets that no longer have a lease.
flannel_sync() {
	local i=$1 ns own sn pub mac
	ns=$(ns_of "$i")
	own=$(subnet_of "$i")
	while read -r sn pub mac _; do
		[ "$sn" = SKIP ] || [ "$sn" = "$own" ] && continue
		ip -n "$ns" neigh replace "$(vtep_of "$sn")" lladdr "$mac" dev flannel.1 nud permanent
		bridge -n "$ns" fdb replace "$mac" dev flannel.1 dst "$pub" self permanent
		ip -n "$ns" route replace "$sn" via "$(vtep_of "$sn")" dev flannel.1 onlink
	done < <(leases)
}

# --- containers ------------------------------------------------------------

# cni_add I NAME: a container netns NAME on host I, attached by the
# conflist of host I; prints its addresses (IPv4 first, space-separated).
cni_add() {
	local i=$1 name=$2 d out
	d=$(node_dir "$i")
	ns_add "$name" >&2
	mkdir -p "$d/cni-state" /var/lib/cni
	# Each host keeps its own host-local state, as a real node does.
	out=$(ip netns exec "$(ns_of "$i")" unshare -m sh -c \
		'mount --bind "$1" /var/lib/cni && exec python3 "$2" ADD "$3" "$4" "/run/netns/$4" eth0' \
		sh "$d/cni-state" "$SELFTESTS_DIR/cni_runtime.py" "$d/10-ovl.conflist" "$name") || return 1
	printf '%s' "$out" | python3 -c 'import json,sys; print(" ".join(i["address"].split("/")[0] for i in json.load(sys.stdin)["ips"]))'
}
