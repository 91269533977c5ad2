#!/bin/bash
# Real-kernel test of IKEv1 NAT traversal (RFC 3947, RFC 3948) driven by
# the daemon, as test_ike_natt.sh does for IKEv2: two isakmpd gateways
# (-K linux), left behind the NAT namespace (lib/netns.sh --nat --hosts:
# left 10.0.0.2 reaches right 198.51.100.2 as 198.51.100.1), FQDN
# identities and explicit addresses in the definitions (lib/defs.sh
# defs_v1; the right side knows the left one by its ID and the NAT's
# address, so Main Mode finds the key by address), NAT-T on
# (ENABLE_IPSEC_NAT_TRAVERSAL=YES) with a 2-second keepalive interval on
# both, Main Mode + Quick Mode activated on the left.  Passes only if:
#  - both daemons list the phase-1 and phase-2 tunnels Active, and
#    `ike cmd=list verbose` says IKE Version 1, "NAT: local" on the left
#    and "NAT: remote" on the right;
#  - the hosts behind the gateways ping each other and exchange a TCP
#    message with a random marker each way;
#  - every SA in `ip xfrm state` of both gateways has `encap type
#    espinudp` (4500 on both ends on the left) and moved its byte counter;
#  - on the NAT's public link the tunnel traffic is ESP in UDP port 4500
#    (non-zero SPI), there is no bare ESP, on port 500 only Main Mode
#    messages (the first four: the float to 4500 comes with message 5),
#    and the rest of the IKE traffic on 4500 behind the non-ESP marker;
#    neither marker in plaintext;
#  - keepalives (one-octet UDP datagrams 0xFF to port 4500) from the left
#    are on the wire within the interval, and none from the right (not
#    behind a NAT);
#  - `ike cmd=remove` on the left removes the kernel state on both
#    sides; SIGTERM leaves no SA and no policy, and neither daemon's log
#    holds a sanitizer report.
. "$IKE_VM_DIR/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
. "$IKE_VM_DIR/lib/ike.sh"
. "$IKE_VM_DIR/lib/defs.sh"
vm_require_guest
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=1
KEEPALIVE=2

step "kernel $(uname -r): probe"
kernel_ipsec_probe || fail "the VM kernel lacks IPsec support"
netns_pair_up --nat --hosts || fail "netns_pair_up --nat --hosts"

step "definitions and daemons"
defs_v1 "$OUT/natt-left.xml" natt "$LEFT_IP" "$RIGHT_IP" "$LEFT_NET" \
    "$RIGHT_NET" local_id=left.example remote_id=right.example ||
    fail "definitions left"
defs_v1 "$OUT/natt-right.xml" natt "$RIGHT_IP" "$LEFT_PUBLIC_IP" \
    "$RIGHT_NET" "$LEFT_NET" local_id=right.example remote_id=left.example ||
    fail "definitions right"
ike_load left "$OUT/natt-left.xml" || fail "ikedb -p in left"
ike_load right "$OUT/natt-right.xml" || fail "ikedb -p in right"
CONF=(ENABLE_IPSEC_NAT_TRAVERSAL=YES
    "NAT_KEEPALIVE_INTERVAL=$KEEPALIVE")
ike_gw_start left "${CONF[@]}"
ike_gw_start right "${CONF[@]}"

step "IKE through the NAT, captured on the NAT's public link"
# nat eth1 carries both directions between the NAT and right, and nothing
# is decrypted in the nat namespace: what it sees is what the wire had.
capture_start nat eth1 wire-nat
ike_up phase=2 numlist=1

step "traffic between the hosts"
ping_ok left-host "$RIGHT_HOST_IP" 5 || { ike_dump left right; fail "ping left-host -> right-host"; }
ping_ok right-host "$LEFT_HOST_IP" 5 || fail "ping right-host -> left-host"
M1=ike-marker-$RANDOM$RANDOM M2=ike-marker-$RANDOM$RANDOM
send_msg left-host right-host tcp "$RIGHT_HOST_IP" 7001 "$M1" ||
    fail "TCP message left-host -> right-host"
send_msg right-host left-host tcp "$LEFT_HOST_IP" 7001 "$M2" ||
    fail "TCP message right-host -> left-host"

step "keepalives: $((KEEPALIVE * 2 + 1)) s on the wire"
sleep $((KEEPALIVE * 2 + 1))
capture_stop

step "what the wire carried"
tcpdump -n -r "$OUT/wire-nat.pcap" > "$OUT/wire-nat.txt" 2>&1
# UDP payload length = udp[4:2] - 8; the SPI (or the zero marker) at udp[8:4]
ESPINUDP="udp port 4500 and udp[4:2] > 16 and udp[8:4] != 0"
IKE4500="udp port 4500 and udp[4:2] > 16 and udp[8:4] = 0"
KA_LEFT="src host $NAT_PUBLIC_IP and udp dst port 4500 and udp[4:2] = 9 and udp[8] = 0xff"
KA_RIGHT="src host $RIGHT_IP and udp[4:2] = 9"
n_esp=$(pcap_count wire-nat "$ESPINUDP")
n_bare=$(pcap_count wire-nat "ip proto 50")
n_ike4500=$(pcap_count wire-nat "$IKE4500")
n_ike500=$(pcap_count wire-nat "udp port 500")
# ISAKMP header at udp[8]: the exchange type is octet 18 (2: Main Mode),
# the version octet 17 (0x10: IKEv1)
n_ike500_other=$(pcap_count wire-nat "udp port 500 and (udp[26] != 2 or udp[25] != 0x10)")
n_ka=$(pcap_count wire-nat "$KA_LEFT")
n_ka_right=$(pcap_count wire-nat "$KA_RIGHT")
info "ESP in UDP/4500: $n_esp, bare ESP: $n_bare, IKE on 4500: $n_ike4500," \
    "on 500: $n_ike500, keepalives left: $n_ka, right: $n_ka_right"
[ "$n_esp" -gt 0 ] || fail "no ESP in UDP on port 4500"
[ "$n_bare" -eq 0 ] || fail "$n_bare bare ESP packets"
# Main Mode messages 1-4 only; 5, 6 and Quick Mode went to 4500
[ "$n_ike500" -ge 4 ] || fail "$n_ike500 IKE packets on port 500, want 4"
[ "$n_ike500_other" -eq 0 ] ||
    fail "$n_ike500_other IKE messages other than Main Mode on port 500"
[ "$n_ike4500" -ge 5 ] ||
    fail "$n_ike4500 IKE messages on port 4500 behind the marker, want 5 (MM5, MM6, Quick Mode)"
[ "$n_ka" -ge 2 ] || fail "$n_ka keepalives from the left in" \
    "$((KEEPALIVE * 2 + 1)) s, want 2 at least"
[ "$n_ka_right" -eq 0 ] || fail "the right side sent keepalives"
# within the interval: the first one at most KEEPALIVE + 1 s after the
# first IKE message of the right side on port 4500 (Main Mode message 6),
# no gap between two longer than that
tcpdump -tt -n -r "$OUT/wire-nat.pcap" \
    "($KA_LEFT) or ($IKE4500 and src host $RIGHT_IP)" \
    2> /dev/null | awk -v max="$((KEEPALIVE + 1))" '
	/NONESP-encap/ { if (!auth) auth = $1; next }
	auth { g = $1 - (n++ ? last : auth); if (g > gmax) gmax = g; last = $1 }
	END {
		printf "   keepalives: %d, longest wait %.2f s\n", n, gmax
		exit !(auth && n && gmax <= max)
	}' || fail "keepalives not within $KEEPALIVE s (+1)"
# each tunnel packet was ESP in UDP both ways: from the NAT and to it
[ "$(pcap_count wire-nat "$ESPINUDP and src host $NAT_PUBLIC_IP")" -gt 0 ] ||
    fail "no ESP in UDP from the NAT's address"
[ "$(pcap_count wire-nat "$ESPINUDP and dst host $NAT_PUBLIC_IP")" -gt 0 ] ||
    fail "no ESP in UDP to the NAT's address"
wire_leaks wire-nat "net $LEFT_NET or net $RIGHT_NET"
! pcap_has wire-nat "$M1" || fail "the marker $M1 is in plaintext"
! pcap_has wire-nat "$M2" || fail "the marker $M2 is in plaintext"

step "kernel SAs: ESP in UDP, counters"
for ns in left right; do
	xfrm_esp_check "$ns" 2 tunnel || fail "$ns: ESP states"
	n=$(grep -c '^src ' "$OUT/xfrm-state-$ns.txt")
	e=$(grep -c 'encap type espinudp' "$OUT/xfrm-state-$ns.txt")
	info "$ns: $n SAs, $e with encap espinudp"
	[ "$n" -ge 2 ] && [ "$n" = "$e" ] ||
	    fail "$ns: not every SA has encap type espinudp"
done
[ "$(grep -c 'encap type espinudp sport 4500 dport 4500' \
    "$OUT/xfrm-state-left.txt")" -ge 2 ] ||
    fail "left: SAs not encapsulated between the ports 4500"

step "ike cmd=list verbose: NAT detected"
ike_in left "$IKE_BIN_DIR/ike" cmd=list verbose > "$OUT/left-verbose.txt"
ike_in right "$IKE_BIN_DIR/ike" cmd=list verbose > "$OUT/right-verbose.txt"
cat "$OUT/left-verbose.txt" "$OUT/right-verbose.txt"
grep -q '^NAT: local$' "$OUT/left-verbose.txt" ||
    fail "left: ike cmd=list verbose does not say NAT: local"
grep -q '^NAT: remote$' "$OUT/right-verbose.txt" ||
    fail "right: ike cmd=list verbose does not say NAT: remote"
for ns in left right; do
	grep -qx 'IKE Version: 1' "$OUT/$ns-verbose.txt" ||
	    fail "$ns: not listed as IKEv1"
done

step "ike cmd=remove on the left clears both kernels"
ike_in left "$IKE_BIN_DIR/ike" cmd=remove || fail "remove"
own_none() { [ "$(own_state "$1")" = 0 ]; }
for ns in left right; do
	wait_until 10 own_none $ns || {
		ip -n $ns xfrm state; ip -n $ns xfrm policy
		ike_dump left right
		fail "$ns: $(own_state $ns) SAs and policies left after remove"
	}
done

step "SIGTERM removes the daemons' kernel state"
ike_gw_stop left
ike_gw_stop right
for ns in left right; do
	[ -z "$(ip -n "$ns" xfrm state)" ] || fail "$ns: SAs left behind"
	[ -z "$(ip -n "$ns" xfrm policy)" ] || fail "$ns: policies left behind"
done
for ns in left right; do
	! grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error' \
	    "$OUT/isakmpd-$ns.log" || fail "$ns: sanitizer report in its log"
done
pass "IKEv1 through a NAT: Main Mode floats to 4500, ESP in UDP, keepalives, remove"
