# lib/traffic.sh: the checks the daemon tests (test_ike*.sh,
# test_ikev1*.sh) share, each proving one thing about a negotiated
# tunnel (bash, sourced after lib/checks.sh, lib/netns.sh and
# lib/ike.sh; ike_own_gone needs own_state from lib/defs.sh).  Each
# fails the test with fail and its own message, as the scripts did.
#
#   hosts_ping_markers            the hosts ping and exchange TCP markers
#   tunnel_esp_only               tunnel traffic crosses as ESP only
#   transport_esp_only LC RC [L6 R6]  the same for transport mode
#   verbose_counters FILE         `ike cmd=list verbose` counted traffic
#   natt_run NAT_KEY              NAT-T gateways up, traffic captured
#   natt_wire_check PORT_CHECKS   the NAT's public link: ESP in UDP/4500
#   natt_sa_check                 every kernel SA is ESP in UDP
#   natt_verbose_check            both sides report the NAT
#   ike_own_gone NS               none of the daemons' kernel state in NS
#   ike_list_empty NS             `ike cmd=list` in NS is empty
#   ike_gws_stop_clean [--transport]  SIGTERM leaves nothing behind
#
# Markers and controls are left in M1 M2 C1 C2.

# hosts_ping_markers: the hosts behind the gateways (lib/netns.sh
# --hosts) ping each other and exchange a TCP message with a random
# marker each way (M1 left to right, M2 right to left).
hosts_ping_markers() {
	ping_ok left-host "$RIGHT_HOST_IP" 5 || { ike_dump left right; fail "ping left-host -> right-host"; }
	ping_ok right-host "$LEFT_HOST_IP" 5 || fail "ping right-host -> left-host"
	M1=ike-marker-$RANDOM$RANDOM M2=ike-marker-$RANDOM$RANDOM
	send_msg left-host right-host tcp "$RIGHT_HOST_IP" 7001 "$M1" ||
	    fail "TCP message left-host -> right-host"
	send_msg right-host left-host tcp "$LEFT_HOST_IP" 7001 "$M2" ||
	    fail "TCP message right-host -> left-host"
}

# tunnel_esp_only: traffic between the hosts crosses the tunnel as ESP
# only.  The hosts ping and exchange markers (hosts_ping_markers); what
# each gateway puts on the link holds ESP and neither marker nor a
# packet of the protected subnets, while a control message each gateway
# sends outside the policies is there in plaintext (so the capture would
# have shown a leak).  -Q out: decrypted packets are re-injected on the
# inbound interface (see lib/checks.sh).
tunnel_esp_only() {
	local w
	capture_start left eth0 wire-left -Q out
	capture_start right eth0 wire-right -Q out
	hosts_ping_markers
	C1=ike-control-$RANDOM$RANDOM C2=ike-control-$RANDOM$RANDOM
	send_msg left right udp "$RIGHT_IP" 7002 "$C1" ||
	    fail "control message left -> right"
	send_msg right left udp "$LEFT_IP" 7002 "$C2" ||
	    fail "control message right -> left"
	capture_stop
	wire_check wire-left "$M1"
	wire_check wire-right "$M2"
	for w in wire-left wire-right; do
		wire_leaks $w "net 10.1.0.0/24 or net 10.2.0.0/24"
	done
	control_seen wire-left "$C1"
	control_seen wire-right "$C2"
}

# transport_esp_only LC RC [L6 R6]: transport mode between the gateways
# left and right carries ESP only.  Ping both ways over IPv4 (and IPv6
# to L6/R6 when given), a TCP marker each way; what each side sends
# holds ESP (over both families with L6/R6), no marker and no ICMP (or
# ICMPv6) echo in plaintext, while a control message to the other
# addresses LC/RC of the link, outside the policies, is seen.
transport_esp_only() {
	local lc=$1 rc=$2 l6=${3:-} r6=${4:-} w leak=icmp
	[ -z "$l6" ] ||
	    leak="icmp or (icmp6 and (ip6[40] == 128 or ip6[40] == 129))"
	capture_start left eth0 wire-left -Q out
	capture_start right eth0 wire-right -Q out
	if [ -n "$l6" ]; then
		ping_ok left "$RIGHT_IP" 3 || { ike_dump left right; fail "IPv4 ping left -> right"; }
		ping_ok right "$LEFT_IP" 3 || fail "IPv4 ping right -> left"
		ping_ok left "$r6" 3 || { ike_dump left right; fail "IPv6 ping left -> right"; }
		ping_ok right "$l6" 3 || fail "IPv6 ping right -> left"
	else
		ping_ok left "$RIGHT_IP" 3 || { ike_dump left right; fail "ping left -> right"; }
		ping_ok right "$LEFT_IP" 3 || fail "ping right -> left"
	fi
	M1=ike-marker-$RANDOM$RANDOM M2=ike-marker-$RANDOM$RANDOM
	send_msg left right tcp "$RIGHT_IP" 7001 "$M1" || fail "TCP left -> right"
	send_msg right left tcp "$LEFT_IP" 7001 "$M2" || fail "TCP right -> left"
	C1=ike-control-$RANDOM$RANDOM C2=ike-control-$RANDOM$RANDOM
	send_msg left right udp "$rc" 7002 "$C1" || fail "control left -> right"
	send_msg right left udp "$lc" 7002 "$C2" || fail "control right -> left"
	capture_stop
	wire_check wire-left "$M1"
	wire_check wire-right "$M2"
	for w in wire-left wire-right; do
		wire_leaks $w "$leak"
		[ -z "$l6" ] && continue
		[ "$(pcap_count $w "esp and ip6")" -gt 0 ] || fail "$w: no ESP over IPv6"
		[ "$(pcap_count $w "esp and ip")" -gt 0 ] || fail "$w: no ESP over IPv4"
	done
	control_seen wire-left "$C1"
	control_seen wire-right "$C2"
}

# verbose_counters FILE: the `ike cmd=list verbose` output in FILE
# reports bytes and packets above 0 each way for the phase-2 tunnel.
verbose_counters() {
	local k
	for k in "Bytes In" "Bytes Out" "Packets In" "Packets Out"; do
		grep -Eq "^$k: [1-9]" "$1" ||
		    fail "ike cmd=list verbose: no '$k' counter above 0"
	done
}

# natt_run NAT_KEY: the NAT-T test up to its capture: loads
# $OUT/natt-{left,right}.xml, starts both daemons with NAT_KEY=YES and
# the keepalive interval $KEEPALIVE, activates phase 2 #1 on the left
# while the NAT's public link is captured (wire-nat), the hosts ping and
# exchange markers (hosts_ping_markers), then 2 intervals + 1 s of
# keepalives.
natt_run() {
	local conf=("$1=YES" "NAT_KEEPALIVE_INTERVAL=$KEEPALIVE")
	ike_load left "$OUT/natt-left.xml" || fail "ikedb -p in left"
	ike_load right "$OUT/natt-right.xml" || fail "ikedb -p in right"
	ike_gw_start left "${conf[@]}"
	ike_gw_start right "${conf[@]}"

	step "IKE through the NAT, captured on the NAT's public link"
	# nat eth1 carries both directions between the NAT and right, and
	# nothing is decrypted in the nat namespace: what it sees is what
	# the wire had.
	capture_start nat eth1 wire-nat
	ike_up phase=2 numlist=1

	step "traffic between the hosts"
	hosts_ping_markers

	step "keepalives: $((KEEPALIVE * 2 + 1)) s on the wire"
	sleep $((KEEPALIVE * 2 + 1))
	capture_stop
}

# natt_wire_check PORT_CHECKS: what the NAT's public link carried
# ($OUT/wire-nat.pcap, left behind the NAT, keepalive interval
# $KEEPALIVE): the tunnel traffic is ESP in UDP port 4500 (non-zero SPI)
# both from and to the NAT's address, no bare ESP, neither marker M1/M2
# nor a packet of the protected subnets in plaintext; keepalives
# (one-octet UDP datagrams 0xFF to port 4500) from the left, at least 2,
# the first at most KEEPALIVE + 1 s after the right side's first IKE
# message on port 4500 and no gap longer, and none from the right.
# VERSION (1 or 2): what that IKE version puts on ports 500 and 4500
# (_natt_ports).
natt_wire_check() {
	local n_esp n_bare n_ka n_ka_right
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
	n_ka=$(pcap_count wire-nat "$KA_LEFT")
	n_ka_right=$(pcap_count wire-nat "$KA_RIGHT")
	info "ESP in UDP/4500: $n_esp, bare ESP: $n_bare, IKE on 4500: $n_ike4500," \
	    "on 500: $n_ike500, keepalives left: $n_ka, right: $n_ka_right"
	[ "$n_esp" -gt 0 ] || fail "no ESP in UDP on port 4500"
	[ "$n_bare" -eq 0 ] || fail "$n_bare bare ESP packets"
	_natt_ports "$1"
	[ "$n_ka" -ge 2 ] || fail "$n_ka keepalives from the left in" \
	    "$((KEEPALIVE * 2 + 1)) s, want 2 at least"
	[ "$n_ka_right" -eq 0 ] || fail "the right side sent keepalives"
	_natt_keepalive_gaps
	# each tunnel packet was ESP in UDP both ways: from the NAT and to it
	[ "$(pcap_count wire-nat "$ESPINUDP and src host $NAT_PUBLIC_IP")" -gt 0 ] ||
	    fail "no ESP in UDP from the NAT's address"
	[ "$(pcap_count wire-nat "$ESPINUDP and dst host $NAT_PUBLIC_IP")" -gt 0 ] ||
	    fail "no ESP in UDP to the NAT's address"
	wire_leaks wire-nat "net $LEFT_NET or net $RIGHT_NET"
	! pcap_has wire-nat "$M1" || fail "the marker $M1 is in plaintext"
	! pcap_has wire-nat "$M2" || fail "the marker $M2 is in plaintext"
}

# _natt_ports 1|2: what went on port 500 before the float to 4500, from
# the counts of natt_wire_check.  The IKE header is at udp[8]: its
# exchange type is octet 18 (udp[26]), its version octet 17 (udp[25]).
# IKEv2: IKE_SA_INIT (34) request and response only (a slow responder
# may see the request retransmitted, never more), IKE_AUTH on 4500.
# IKEv1: Main Mode (2, version 0x10) messages 1-4 only; 5, 6 and Quick
# Mode on 4500.
_natt_ports() {
	local other want500=2 want4500=2 what="IKE_SA_INIT"
	local f="udp port 500 and udp[26] != 34"
	if [ "$1" = 1 ]; then
		want500=4 want4500=5 what="Main Mode"
		f="udp port 500 and (udp[26] != 2 or udp[25] != 0x10)"
	fi
	other=$(pcap_count wire-nat "$f")
	[ "$n_ike500" -ge $want500 ] ||
	    fail "$n_ike500 IKE packets on port 500, want $want500"
	[ "$other" -eq 0 ] ||
	    fail "$other IKE messages other than $what on port 500"
	[ "$n_ike4500" -ge $want4500 ] ||
	    fail "$n_ike4500 IKE messages on port 4500 behind the marker, want $want4500"
}

# within the interval: the first keepalive at most KEEPALIVE + 1 s after
# the right side's first IKE message on port 4500 (IKEv2: the IKE_AUTH
# answer; IKEv1: Main Mode message 6), no gap between two longer
_natt_keepalive_gaps() {
	tcpdump -tt -n -r "$OUT/wire-nat.pcap" \
	    "($KA_LEFT) or ($IKE4500 and src host $RIGHT_IP)" \
	    2> /dev/null | awk -v max="$((KEEPALIVE + 1))" '
		/NONESP-encap/ { if (!auth) auth = $1; next }
		auth { g = $1 - (n++ ? last : auth); if (g > gmax) gmax = g; last = $1 }
		END {
			printf "   keepalives: %d, longest wait %.2f s\n", n, gmax
			exit !(auth && n && gmax <= max)
		}' || fail "keepalives not within $KEEPALIVE s (+1)"
}

# natt_sa_check: every ESP SA of both gateways moved its byte counter in
# tunnel mode and has `encap type espinudp`, the left's (behind the NAT)
# between the ports 4500 on both ends.
natt_sa_check() {
	local ns n e
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
}

# natt_verbose_check: `ike cmd=list verbose` (kept in
# $OUT/{left,right}-verbose.txt) says "NAT: local" on the left (behind
# the NAT) and "NAT: remote" on the right.
natt_verbose_check() {
	ike_in left "$IKE_BIN_DIR/ike" cmd=list verbose > "$OUT/left-verbose.txt"
	ike_in right "$IKE_BIN_DIR/ike" cmd=list verbose > "$OUT/right-verbose.txt"
	cat "$OUT/left-verbose.txt" "$OUT/right-verbose.txt"
	grep -q '^NAT: local$' "$OUT/left-verbose.txt" ||
	    fail "left: ike cmd=list verbose does not say NAT: local"
	grep -q '^NAT: remote$' "$OUT/right-verbose.txt" ||
	    fail "right: ike cmd=list verbose does not say NAT: remote"
}

# ike_own_gone NS: within 10 s, no SA and no policy of the daemons
# (own_state of lib/defs.sh) is left in NS, after a removal.
ike_own_gone() {
	wait_until 10 _ike_own_none "$1" || {
		ip -n "$1" xfrm state; ip -n "$1" xfrm policy
		ike_dump left right
		fail "$1: $(own_state "$1") SAs and policies left after remove"
	}
}
_ike_own_none() { [ "$(own_state "$1")" = 0 ]; }

# ike_list_empty NS: `ike cmd=list` in NS prints nothing.
ike_list_empty() { [ -z "$(ike_in "$1" "$IKE_BIN_DIR/ike" cmd=list)" ]; }

# ike_gws_stop_clean [--transport]: SIGTERM stops both daemons (exit 0,
# no sanitizer report: ike_gw_stop) and leaves no SA and no policy in
# either kernel.  --transport: the per-socket policies without a
# selector (0.0.0.0/0 and ::/0 both ends) do not count.
ike_gws_stop_clean() {
	local ns
	ike_gw_stop left
	ike_gw_stop right
	for ns in left right; do
		[ -z "$(ip -n "$ns" xfrm state)" ] || fail "$ns: SAs left behind"
		if [ "${1:-}" = --transport ]; then
			[ -z "$(ip -n "$ns" xfrm policy | grep -v '^\s' | grep -v '0.0.0.0/0 dst 0.0.0.0/0\|::/0 dst ::/0')" ] ||
			    fail "$ns: policies left behind"
		else
			[ -z "$(ip -n "$ns" xfrm policy)" ] ||
			    fail "$ns: policies left behind"
		fi
	done
}
