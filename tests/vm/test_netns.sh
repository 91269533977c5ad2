#!/bin/bash
# lib/netns.sh builds what it documents (inside the VM: tests/vm/vm-run
# test_netns.sh).  Plain pair: the addresses, and a gateway's own traffic
# to the remote subnet leaves with its lan0 address.  --nat --hosts: the
# hosts behind the gateways reach each other through the NAT, which
# masquerades: left's traffic to right arrives from 198.51.100.1, never
# from a private address; the hosts reach their gateways.  (Plaintext
# between the protected subnets does not cross the NAT: it has no routes
# for them; that traffic is meant to travel inside ESP.)
# A second netns_pair_up over existing namespaces is refused.
. "$(dirname "$(readlink -f "$0")")/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
vm_require_guest

# has_addr NS IF ADDR/LEN
has_addr() {
	ip -n "$1" -br addr show dev "$2" | grep -qw "$3" ||
	    fail "$1 $2 has no $3: $(ip -n "$1" -br addr show dev "$2")"
}

step "netns_pair_up"
netns_pair_up || fail "netns_pair_up"
[ "$NETNS_PAIR_NAMESPACES" = "left right" ] || fail "namespaces"
has_addr left eth0 192.0.2.1/24
has_addr right eth0 192.0.2.2/24
has_addr left lan0 10.1.0.1/24
has_addr right lan0 10.2.0.1/24
ip -n left route get 10.2.0.1 | grep -q 'src 10.1.0.1 ' ||
    fail "left's route to $RIGHT_NET is not sourced from $LEFT_LAN_IP"
ip -n right route get 10.1.0.1 | grep -q 'src 10.2.0.1 ' ||
    fail "right's route to $LEFT_NET is not sourced from $RIGHT_LAN_IP"
ping_ok left "$RIGHT_LAN_IP" 1 || fail "left -> $RIGHT_LAN_IP"
netns_pair_up 2> "$OUT/again.txt" && fail "a second netns_pair_up passed"
grep -q 'exists already' "$OUT/again.txt" || fail "no message: $(cat "$OUT/again.txt")"
info "refused: $(cat "$OUT/again.txt")"
netns_pair_down
[ -z "$(ip netns list)" ] || fail "namespaces left over: $(ip netns list)"

step "netns_pair_up --nat --hosts"
netns_pair_up --nat --hosts || fail "netns_pair_up --nat --hosts"
[ "$NETNS_PAIR_NAMESPACES" = "left nat right left-host right-host" ] ||
    fail "namespaces: $NETNS_PAIR_NAMESPACES"
[ "$LEFT_PUBLIC_IP" = 198.51.100.1 ] || fail "LEFT_PUBLIC_IP"
has_addr nat eth1 198.51.100.1/24
has_addr left-host eth0 10.1.0.10/24
has_addr right-host eth0 10.2.0.10/24
ping_ok left-host "$LEFT_LAN_IP" 1 || fail "left-host -> $LEFT_LAN_IP"
ping_ok right-host "$RIGHT_LAN_IP" 1 || fail "right-host -> $RIGHT_LAN_IP"
capture_start right eth0 nat-public
send_msg left right tcp "$RIGHT_IP" 5001 hello-through-nat ||
    fail "TCP left -> $RIGHT_IP through the NAT"
capture_stop
n=$(pcap_count nat-public 'src host 198.51.100.1')
[ "$n" -gt 0 ] || fail "right saw nothing from the NAT's address"
n=$(pcap_count nat-public 'net 10.0.0.0/24 or net 10.1.0.0/24')
[ "$n" -eq 0 ] || fail "right saw $n packets with private addresses"
info "right sees left as 198.51.100.1 only"
netns_pair_down
pass "netns_pair_up, with and without --nat --hosts"
