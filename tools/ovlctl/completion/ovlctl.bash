# SPDX-License-Identifier: GPL-2.0
# shellcheck disable=SC2207 # word lists from compgen are meant to split
# bash completion for ovlctl(8)

_ovlctl_devices()
{
	# Every link name; ovlctl itself refuses ones of another kind.
	local ns=$1
	ip ${ns:+-n "$ns"} -o link show 2>/dev/null |
		awk -F': ' '{ sub(/@.*/, "", $2); print $2 }'
}

_ovlctl()
{
	local cur prev words cword
	_init_completion || return

	local i ns="" cmd="" cmd_i=0
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-n) ns=${words[i + 1]}; ((i++)) ;;
		-*) ;;
		*) cmd=${words[i]}; cmd_i=$i; break ;;
		esac
	done

	if [[ $prev == -n ]]; then
		COMPREPLY=($(compgen -W "$(ip netns list 2>/dev/null | awk '{print $1}')" -- "$cur"))
		return
	fi
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "-n -j -h -V help add set del show remote fdb stats" -- "$cur"))
		return
	fi

	local params="vni local remote dev port srcport ttl tos df learning
		ageing maxaddress udpcsum udp6zerocsumtx udp6zerocsumrx label mtu
		proxy l2miss l3miss rsc gbp"
	local pos=$((cword - cmd_i))
	COMPREPLY=()
	case $cmd in
	add|set)
		case $prev in
		learning|udpcsum|udp6zerocsumtx|udp6zerocsumrx|proxy|l2miss|l3miss|rsc)
			COMPREPLY=($(compgen -W "on off" -- "$cur")) ;;
		df) COMPREPLY=($(compgen -W "set unset inherit" -- "$cur")) ;;
		ttl) COMPREPLY=($(compgen -W "inherit auto" -- "$cur")) ;;
		tos) COMPREPLY=($(compgen -W "inherit" -- "$cur")) ;;
		dev) COMPREPLY=($(compgen -W "$(_ovlctl_devices "$ns")" -- "$cur")) ;;
		vni|local|remote|port|srcport|ageing|maxaddress|label|mtu) ;;
		*)
			if ((pos == 1)); then
				[[ $cmd == set ]] && COMPREPLY=($(compgen -W "help $(_ovlctl_devices "$ns")" -- "$cur"))
				[[ $cmd == add ]] && COMPREPLY=($(compgen -W "help" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "$params" -- "$cur"))
			fi ;;
		esac ;;
	del|show|stats)
		((pos == 1)) && COMPREPLY=($(compgen -W "help $(_ovlctl_devices "$ns")" -- "$cur")) ;;
	remote|fdb)
		if ((pos == 1)); then
			if [[ $cmd == remote ]]; then
				COMPREPLY=($(compgen -W "help add del show" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "help add replace del show" -- "$cur"))
			fi
		elif ((pos == 2)); then
			COMPREPLY=($(compgen -W "$(_ovlctl_devices "$ns")" -- "$cur"))
		elif [[ ${words[cmd_i + 1]} != show ]] &&
			{ ((pos >= 4)) && [[ $cmd == remote ]] || ((pos >= 5)); }; then
			case $prev in
			port|vni) ;;
			*)
				if [[ $cmd == fdb && ${words[cmd_i + 1]} != del ]]; then
					COMPREPLY=($(compgen -W "port vni static permanent" -- "$cur"))
				else
					COMPREPLY=($(compgen -W "port vni" -- "$cur"))
				fi ;;
			esac
		fi ;;
	esac
} &&
	complete -F _ovlctl ovlctl
