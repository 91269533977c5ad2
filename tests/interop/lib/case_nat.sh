# tests/interop/lib/case_nat.sh: NAT traversal with our daemon behind
# the NAT (bash, sourced by lib/scenario.sh).
#
#   natt        IKEv2 PSK, tunnel, AES-GCM-256, Curve25519 (31)
#   ikev1_natt  IKEv1 Main Mode PSK, tunnel, AES-CBC-256/HMAC-SHA2-256,
#               MODP-2048 (14)
#
# Topology: tests/vm/lib/netns.sh --nat --hosts: our gateway (left,
# 10.0.0.2) reaches the peer (right, 198.51.100.2) through the namespace
# "nat", which masquerades it as 198.51.100.1.  The peer knows us by that
# public address and by our IKE identity, our private address
# (P_PEER_ID); we keep ours (C_OUR_LID).  When the peer initiates, the
# NAT forwards UDP 500 and 4500 of its public address to us (a port
# forward: a host behind a NAT cannot be reached otherwise).  Our
# daemon runs with NAT-T on and a keepalive interval of NATT_KA seconds.
#
# A run passes only if, besides the checks of lib/scenario.sh (tunnel up
# on both sides with the case's algorithms and role, bytes both ways in
# our listing and the peer's status, every ESP state with the kernel
# algorithm and a moved counter):
#  - our `ike cmd=list verbose` says "NAT: local" for phase 1; the peer
#    says it found us behind a NAT (charon's log "remote host is behind
#    NAT" and its Child SA "TUNNEL-in-UDP"; pluto's log "ESPinUDP" and
#    "NATD=<NAT's address>:4500" for its IPsec SA);
#  - every ESP state of both kernels has `encap type espinudp`, ours
#    between the ports 4500 on both ends;
#  - on the NAT's public link (what the Internet sees): ESP in UDP on
#    port 4500 (non-zero SPI) both to and from the NAT's address, no
#    bare ESP, IKE on port 500 only for IKE_SA_INIT (IKEv1: Main Mode
#    messages 1-4), the rest on 4500 behind the non-ESP marker; neither
#    traffic marker nor a packet of the protected subnets in plaintext,
#    while a control message of the gateways outside the policies is
#    there in plaintext;
#  - keepalives (one octet 0xFF to port 4500) from us at least every
#    NATT_KA + 1 s, none from the peer (not behind a NAT).

. "$IKE_VM_DIR/lib/traffic.sh"
NATT_KA=2

case_natt() {
	C_TITLE="IKEv2 PSK, tunnel, AES-GCM-256, Curve25519 (31), our side behind a NAT (NAT-T, ESP in UDP 4500)"
	_natt_hooks ENABLE_IPSEC_NAT_TRAVERSAL_IKEV2
}

case_ikev1_natt() {
	_case_set_v1 v1main
	C_TITLE="IKEv1 Main Mode PSK, tunnel, AES-CBC-256/HMAC-SHA2-256, MODP-2048 (14), our side behind a NAT (NAT-T, ESP in UDP 4500)"
	_natt_hooks ENABLE_IPSEC_NAT_TRAVERSAL
}

# _natt_hooks NAT_KEY: what both cases share.
_natt_hooks() {
	C_TOPO=_natt_topology C_FLOW=_natt_flow C_PRE_START=_natt_pre
	NATT_CONF="$1=YES NAT_KEEPALIVE_INTERVAL=$NATT_KA"
	C_OUR_LID='<IPV4_Address Value="10.0.0.2"/>'
	P_PEER_ID=10.0.0.2
	# strongSwan's Child SA: "INSTALLED, TUNNEL-in-UDP, ESP:..."
	C_SW_ENCAP=-in-UDP
}

# _natt_pre: our isakmpd.conf.
_natt_pre() { C_OUR_CONF=$NATT_CONF; }

# _natt_topology: the NAT pair with hosts; the peer's view of us is the
# NAT's public address (A_L), ours is our private one (C_OUR_LID).  In
# the peer's run the NAT forwards UDP 500 and 4500 to us.
_natt_topology() {
	netns_pair_up --nat --hosts || fail "netns_pair_up --nat --hosts"
	[ "$LEFT_IP" = 10.0.0.2 ] || fail "netns.sh: left is $LEFT_IP, not 10.0.0.2"
	A_L=$LEFT_PUBLIC_IP A_R=$RIGHT_IP A_LNET=$LEFT_NET A_RNET=$RIGHT_NET
	A_LH=$LEFT_HOST_IP A_RH=$RIGHT_HOST_IP A_LC=$LEFT_IP A_RC=$RIGHT_IP
	A_LEAK="net $LEFT_NET or net $RIGHT_NET"
	[ "$ROLE" = peer ] || return 0
	local p
	for p in 500 4500; do
		ip netns exec nat iptables -t nat -A PREROUTING -i eth1 -p udp \
		    -d "$NAT_PUBLIC_IP" --dport $p -j DNAT --to-destination \
		    "$LEFT_IP:$p" || fail "nat: port forward of UDP $p"
	done
}

# _natt_flow: tunnel up, traffic captured on the NAT's public link, the
# checks of lib/scenario.sh and the NAT ones.
_natt_flow() {
	local f
	KEEPALIVE=$NATT_KA	# lib/traffic.sh's natt_wire_check
	capture_start nat eth1 wire-nat
	_bring_up
	step "traffic through the NAT"
	_natt_traffic
	step "keepalives: $((NATT_KA * 2 + 1)) s on the wire"
	sleep $((NATT_KA * 2 + 1))
	capture_stop
	step "checks"
	natt_wire_check "$C_VERSION"
	control_seen wire-nat "$C1"
	_kernel_checks
	natt_sa_check
	_daemon_checks
	_natt_daemon_checks
	for f in wire-nat.pcap wire-nat.txt xfrm-state-left.txt \
	    xfrm-state-right.txt; do
		mv "$OUT/$f" "$OUT/$ROLE-$f"
	done
}

# _natt_traffic: ping and TCP markers between the hosts both ways, a
# control message from our gateway to the peer outside the policies.
_natt_traffic() {
	ping_ok left-host "$A_RH" 5 || { _dump; fail "ping left-host -> $A_RH"; }
	ping_ok right-host "$A_LH" 5 || { _dump; fail "ping right-host -> $A_LH"; }
	M1=interop-marker-$RANDOM$RANDOM M2=interop-marker-$RANDOM$RANDOM
	C1=interop-control-$RANDOM$RANDOM
	xmsg left-host right-host tcp "$A_RH" 7001 "$M1" ||
	    fail "TCP marker left-host -> right-host"
	xmsg right-host left-host tcp "$A_LH" 7001 "$M2" ||
	    fail "TCP marker right-host -> left-host"
	xmsg left right udp "$A_RC" 7002 "$C1" || fail "control left -> right"
}

# _natt_daemon_checks: both sides report the NAT: ours as local (we are
# behind it), the peer's as the remote side's.
_natt_daemon_checks() {
	local f=$OUT/$ROLE-left-verbose.txt log=$OUT/$PN.log
	grep -qx 'NAT: local' "$f" ||
	    { cat "$f"; fail "ours: ike cmd=list verbose does not say 'NAT: local'"; }
	case $K in
	sw)
		grep -q 'remote host is behind NAT' "$log" ||
		    fail "strongSwan's log: no 'remote host is behind NAT'"
		! grep -q 'local host is behind NAT' "$log" ||
		    fail "strongSwan's log: it thinks itself behind a NAT" ;;
	ls)
		grep -Eq "IPsec SA established tunnel mode|established Child SA" "$log" &&
		    grep -Eq "\{ESPinUDP[^ ]* .*NATD=$NAT_PUBLIC_IP:4500 " "$log" ||
		    fail "libreswan's log: no IPsec SA with ESPinUDP and NATD=$NAT_PUBLIC_IP:4500" ;;
	esac
	info "NAT detected: ours local, $(peer_name $K) remote"
}
