#!/bin/bash
# Real-kernel test of an IKEv1 tunnel (RFC 2409) between two isakmpd
# gateways (-K linux) in namespaces with hosts behind them, as
# test_ike_tunnel.sh does for IKEv2: Main Mode (default) or, with the
# argument "aggressive", Aggressive Mode (test_ikev1_aggressive.sh), then
# Quick Mode (with PFS, group 14, in Main Mode; without in Aggressive
# Mode).  The definitions (lib/defs.sh defs_v1) are loaded with ikedb,
# the right side with -ps; `ike cmd=activate` on the left.  Passes only
# if:
#  - the IKE exchange on the wire is IKEv1 only (ISAKMP version 1.0):
#    the phase-1 exchange of the mode asked for (6 messages of Main
#    Mode or 3 of Aggressive Mode at least) and Quick Mode (3 at least);
#  - both daemons list the phase-1 and phase-2 tunnels Active, and
#    `ike cmd=list verbose` says IKE Version 1, the exchange mode,
#    Preshared_Key, AES-CBC-256, HMAC-SHA2-256, the PFS group, and
#    bytes for the phase-2 tunnel;
#  - the hosts behind the gateways ping each other and exchange a TCP
#    message with a random marker each way; every ESP SA of both
#    gateways moved its byte counter; what each gateway sends holds ESP
#    and neither marker nor a packet of the protected subnets, while a
#    control message outside the policies is seen in plaintext;
#  - Aggressive Mode: both logs warn that it exposes the identities;
#  - `ike cmd=remove phase=2` on the left removes the SAs and policies
#    in both kernels (the right one by the Delete), `ike cmd=remove`
#    then empties both listings;
#  - SIGTERM exits 0 without sanitizer reports and leaves nothing.
. "$IKE_VM_DIR/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
. "$IKE_VM_DIR/lib/ike.sh"
. "$IKE_VM_DIR/lib/traffic.sh"
. "$IKE_VM_DIR/lib/defs.sh"
vm_require_guest
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=1
if [ "${1:-}" = aggressive ]; then
	MODE=Aggressive XCHG=4 NPH1=3 ATTR=(aggressive) PFS=0
else
	MODE=Main XCHG=2 NPH1=6 ATTR=(pfs=14) PFS=14
fi

step "kernel $(uname -r): probe"
kernel_ipsec_probe || fail "the VM kernel lacks IPsec support"
netns_pair_up --hosts || fail "netns_pair_up --hosts"

step "IKEv1 $MODE Mode definitions and daemons"
defs_v1 "$OUT/v1.xml" v1gw "$LEFT_IP" "$RIGHT_IP" "$LEFT_NET" \
    "$RIGHT_NET" "${ATTR[@]}" || fail "definitions"
ike_load left "$OUT/v1.xml" || fail "ikedb -p in left"
ike_load right "$OUT/v1.xml" -s || fail "ikedb -ps in right"
ike_gw_start left
ike_gw_start right

step "ike cmd=activate phase=2 numlist=1 on the left"
capture_start left eth0 ike-left "udp port 500"
ike_up phase=2 numlist=1
capture_stop

step "the IKE exchange on the wire"
# ISAKMP header at udp[8]: version at octet 17 (0x10: IKEv1), exchange
# type at octet 18 (2 Main, 4 Aggressive, 32 Quick Mode)
n_all=$(pcap_count ike-left "udp port 500")
n_v1=$(pcap_count ike-left "udp port 500 and udp[25] = 0x10")
n_ph1=$(pcap_count ike-left "udp port 500 and udp[25] = 0x10 and udp[26] = $XCHG")
n_qm=$(pcap_count ike-left "udp port 500 and udp[25] = 0x10 and udp[26] = 32")
info "IKE packets: $n_all, IKEv1: $n_v1, $MODE Mode: $n_ph1, Quick Mode: $n_qm"
[ "$n_all" -gt 0 ] && [ "$n_all" = "$n_v1" ] ||
    fail "IKE packets other than IKEv1 on the wire"
[ "$n_ph1" -ge "$NPH1" ] || fail "$n_ph1 $MODE Mode messages, want $NPH1"
[ "$n_qm" -ge 3 ] || fail "$n_qm Quick Mode messages, want 3"

step "traffic between the hosts, captured where it leaves each gateway"
tunnel_esp_only

step "counters and ike cmd=list verbose"
xfrm_esp_check left 2 tunnel || fail "left: ESP states"
xfrm_esp_check right 2 tunnel || fail "right: ESP states"
for ns in left right; do
	ike_in $ns "$IKE_BIN_DIR/ike" cmd=list verbose > "$OUT/$ns-verbose.txt"
	cat "$OUT/$ns-verbose.txt"
	for l in "IKE Version: 1" "Exchange Mode: $MODE" \
	    "Authentication Method: Preshared_Key" \
	    "Encryption: AES-CBC-256" "Authentication: HMAC-SHA2-256" \
	    "PRF: PRF-SHA2-256" "DH Group: 14" "PFS DH Group: $PFS" \
	    "Mode: Tunnel"; do
		grep -qx "$l" "$OUT/$ns-verbose.txt" ||
		    fail "$ns: ike cmd=list verbose lacks '$l'"
	done
	! grep -q "IKE Version: 2" "$OUT/$ns-verbose.txt" ||
	    fail "$ns: a tunnel listed as IKEv2"
done
verbose_counters "$OUT/left-verbose.txt"
if [ "$MODE" = Aggressive ]; then
	for ns in left right; do
		grep -q "uses IKEv1 Aggressive Mode: it sends the identities in clear" \
		    "$OUT/isakmpd-$ns.log" ||
		    fail "$ns: no Aggressive Mode warning in the log"
	done
fi

step "ike cmd=remove of the IKEv1 phase 2, then of everything"
[ "$(own_state left)" -gt 0 ] && [ "$(own_state right)" -gt 0 ] ||
    fail "no kernel state of the daemons before the removal"
ike_in left "$IKE_BIN_DIR/ike" cmd=remove phase=2 numlist=1 ||
    { ike_dump left right; fail "remove phase=2"; }
for ns in left right; do
	ike_own_gone $ns
done
ike_in left "$IKE_BIN_DIR/ike" cmd=remove || fail "remove"
for ns in left right; do
	wait_until 10 ike_list_empty $ns ||
	    { ike_dump left right; fail "$ns: tunnels still listed after remove"; }
done

step "SIGTERM"
ike_gws_stop_clean
pass "IKEv1 $MODE Mode + Quick Mode tunnel between two isakmpd carries ESP only; remove clears both kernels"
