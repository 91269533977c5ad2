# lib/netns.sh: two IPsec gateways in network namespaces (bash, sourced).
# Meant for the VM (fresh /run/netns); on a host it would create namespaces
# named left, right, ... and refuses if they already exist.
#
#   . "$IKE_VM_DIR/lib/netns.sh"
#   netns_pair_up [--nat] [--hosts]
#   netns_pair_show
#   netns_pair_down
#
# Without --nat:  left eth0 192.0.2.1/24 <-veth-> right eth0 192.0.2.2/24
# With --nat:     left eth0 10.0.0.2/24 <-> nat eth0 10.0.0.1/24,
#                 nat eth1 198.51.100.1/24 <-> right eth0 198.51.100.2/24;
#                 nat forwards and masquerades out of eth1 (iptables), left's
#                 default route is the nat, right has no route to 10.0.0.0/24.
# Protected subnets: left lan0 10.1.0.1/24, right lan0 10.2.0.1/24, dummy
# interfaces; with --hosts lan0 is a veth to the namespace left-host
# (10.1.0.10) or right-host (10.2.0.10), whose default route is its gateway.
# Each gateway routes the remote subnet with "src <own lan0 address>", so
# what a gateway itself sends there matches a subnet-to-subnet policy.
# IPv6 is off everywhere (clean captures); ip_forward is on in the gateways.
#
# Exported: LEFT_IF RIGHT_IF (eth0), LEFT_IP RIGHT_IP (the ESP endpoints),
# LEFT_PUBLIC_IP (left as right sees it), LEFT_NET RIGHT_NET, LEFT_LAN_IP
# RIGHT_LAN_IP, with --hosts LEFT_HOST_IP RIGHT_HOST_IP, with --nat
# NAT_PRIV_IP NAT_PUBLIC_IP, and NETNS_PAIR_NAMESPACES.

netns_pair_up() {
	local nat=0 hosts=0 a ns
	for a in "$@"; do
		case $a in
		--nat) nat=1 ;;
		--hosts) hosts=1 ;;
		*) echo "netns_pair_up: unknown option $a" >&2; return 2 ;;
		esac
	done
	export LEFT_IF=eth0 RIGHT_IF=eth0
	export LEFT_NET=10.1.0.0/24 LEFT_LAN_IP=10.1.0.1
	export RIGHT_NET=10.2.0.0/24 RIGHT_LAN_IP=10.2.0.1
	NETNS_PAIR_NAMESPACES="left right"
	if [ $nat = 0 ]; then
		export LEFT_IP=192.0.2.1 RIGHT_IP=192.0.2.2
		export LEFT_PUBLIC_IP=$LEFT_IP
	else
		export LEFT_IP=10.0.0.2 NAT_PRIV_IP=10.0.0.1
		export NAT_PUBLIC_IP=198.51.100.1 RIGHT_IP=198.51.100.2
		export LEFT_PUBLIC_IP=$NAT_PUBLIC_IP
		NETNS_PAIR_NAMESPACES="left nat right"
	fi
	if [ $hosts = 1 ]; then
		export LEFT_HOST_IP=10.1.0.10 RIGHT_HOST_IP=10.2.0.10
		NETNS_PAIR_NAMESPACES="$NETNS_PAIR_NAMESPACES left-host right-host"
	fi
	export NETNS_PAIR_NAMESPACES
	for ns in $NETNS_PAIR_NAMESPACES; do
		if [ -e "/run/netns/$ns" ]; then
			echo "netns_pair_up: namespace $ns exists already" >&2
			return 1
		fi
	done
	if ! (set -e; _netns_pair_build $nat $hosts); then
		echo "netns_pair_up: setup failed" >&2
		return 1
	fi
	# The transport path must work in plaintext before any IPsec.
	if ! ip netns exec left busybox ping -c 1 -W 2 "$RIGHT_IP" \
	    > /dev/null 2>&1; then
		echo "netns_pair_up: left cannot ping $RIGHT_IP" >&2
		return 1
	fi
}

# _netns_new NS [forward]: namespace with lo up, IPv6 off.
_netns_new() {
	ip netns add "$1"
	ip -n "$1" link set lo up
	ip netns exec "$1" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1
	[ -z "${2:-}" ] || ip netns exec "$1" sysctl -q -w net.ipv4.ip_forward=1
}

# _netns_addr NS IF ADDR/LEN: address and link up.
_netns_addr() {
	ip -n "$1" addr add "$3" dev "$2"
	ip -n "$1" link set "$2" up
}

_netns_pair_build() {
	local nat=$1 hosts=$2 ns hop
	_netns_new left forward
	_netns_new right forward
	if [ "$nat" = 0 ]; then
		ip link add eth0 netns left type veth peer name eth0 netns right
		hop=$RIGHT_IP
	else
		_netns_new nat forward
		ip link add eth0 netns left type veth peer name eth0 netns nat
		ip link add eth1 netns nat type veth peer name eth0 netns right
		_netns_addr nat eth0 "$NAT_PRIV_IP/24"
		_netns_addr nat eth1 "$NAT_PUBLIC_IP/24"
		ip netns exec nat iptables -t nat -A POSTROUTING -o eth1 \
		    -j MASQUERADE
		hop=$NAT_PRIV_IP
	fi
	_netns_addr left eth0 "$LEFT_IP/24"
	_netns_addr right eth0 "$RIGHT_IP/24"
	[ "$nat" = 0 ] || ip -n left route add default via "$NAT_PRIV_IP"
	if [ "$hosts" = 0 ]; then
		ip -n left link add lan0 type dummy
		ip -n right link add lan0 type dummy
	else
		_netns_new left-host
		_netns_new right-host
		ip link add lan0 netns left type veth peer name eth0 \
		    netns left-host
		ip link add lan0 netns right type veth peer name eth0 \
		    netns right-host
		_netns_addr left-host eth0 "$LEFT_HOST_IP/24"
		_netns_addr right-host eth0 "$RIGHT_HOST_IP/24"
		ip -n left-host route add default via "$LEFT_LAN_IP"
		ip -n right-host route add default via "$RIGHT_LAN_IP"
	fi
	_netns_addr left lan0 "$LEFT_LAN_IP/24"
	_netns_addr right lan0 "$RIGHT_LAN_IP/24"
	ip -n left route replace "$RIGHT_NET" via "$hop" dev eth0 \
	    src "$LEFT_LAN_IP"
	ip -n right route replace "$LEFT_NET" via "$LEFT_PUBLIC_IP" dev eth0 \
	    src "$RIGHT_LAN_IP"
}

# netns_pair_down: stops every process in the namespaces, deletes them.
netns_pair_down() {
	local ns p
	for ns in ${NETNS_PAIR_NAMESPACES:-}; do
		[ -e "/run/netns/$ns" ] || continue
		for p in $(ip netns pids "$ns" 2> /dev/null); do
			kill "$p" 2> /dev/null
		done
		sleep 0.2
		for p in $(ip netns pids "$ns" 2> /dev/null); do
			kill -9 "$p" 2> /dev/null
		done
		ip netns del "$ns"
	done
}

netns_pair_show() {
	local ns
	for ns in ${NETNS_PAIR_NAMESPACES:-}; do
		echo "--- netns $ns"
		ip -n "$ns" -br addr
		ip -n "$ns" route
	done
}
