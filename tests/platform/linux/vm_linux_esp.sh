#!/bin/bash
# Real-kernel test of the Linux backend (inside the VM: tests/vm/vm-run,
# whose kernel has ESP).  Two gateways in network namespaces (lib/netns.sh)
# get their SA pair and out/in/fwd tunnel policies from the backend
# (vm_xfrm_tool: plat_spi_alloc for each inbound SPI, plat_sa_add for the
# outbound SA, plat_sa_update for the reserved inbound one, AES-GCM-16,
# ESN, window 64).  Passes only if:
#  - ping and TCP/UDP messages with random markers cross between the
#    protected subnets;
#  - every ESP state moved its byte counter (ip) and plat_sa_stats()
#    reports bytes and packets in both directions;
#  - the captures of the link hold ESP and neither marker nor plaintext of
#    the protected subnets, while control messages outside the policies
#    are seen in plaintext in the same captures;
#  - the soft packet limit of left's outbound SA raised a soft expiry
#    upcall on the event loop of a watching backend;
#  - plat_flush_own() in left removes the backend's SAs and policies and
#    leaves a policy and an SA the administrator added.
# With NATT as first argument the pair sits behind a NAT (netns_pair_up
# --nat) and the SAs use UDP encapsulation (port 4500 both ends); the
# captures must then show ESP-in-UDP on port 4500.  The watching tools
# hold each gateway's NAT-T socket (plat_natt_socket, port 4500), without
# which the kernel would not decapsulate.
. "$IKE_VM_DIR/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
vm_require_guest

# natt_wire_check NAME MARKER...: NAME.pcap holds ESP-in-UDP (port 4500),
# no bare ESP, and none of the markers.
natt_wire_check() {
	local cap=$1 n m
	shift
	n=$(pcap_count "$cap" "udp port 4500")
	info "$cap: $n ESP-in-UDP packets (port 4500)"
	[ "$n" -gt 0 ] || fail "$cap: no ESP-in-UDP packet captured"
	[ "$(pcap_count "$cap" esp)" -eq 0 ] ||
	    fail "$cap: bare ESP despite UDP encapsulation"
	for m in "$@"; do
		! pcap_has "$cap" "$m" ||
		    fail "$cap: the marker $m is in plaintext"
	done
}
TOOL=$IKE_BIN_DIR/plat_linux_vm_tool
NATT=${1:-}
export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=1

step "kernel $(uname -r): probe"
kernel_ipsec_probe || fail "the VM kernel lacks IPsec support"

if [ "$NATT" = natt ]; then
	netns_pair_up --nat || fail "netns_pair_up --nat"
	PEER_OF_RIGHT=$NAT_PUBLIC_IP	# left as right sees it
else
	netns_pair_up || fail "netns_pair_up"
	PEER_OF_RIGHT=$LEFT_IP
fi

step "SPIs reserved through the backend"
spi_l=$(ip netns exec left "$TOOL" alloc "$LEFT_IP" "$RIGHT_IP") ||
    fail "alloc in left"
spi_r=$(ip netns exec right "$TOOL" alloc "$RIGHT_IP" "$PEER_OF_RIGHT") ||
    fail "alloc in right"
info "left inbound $spi_l, right inbound $spi_r"

ip netns exec left "$TOOL" watch 90 "$LEFT_IP" > "$OUT/watch-left.txt" \
    2> "$OUT/watch-left.err" &
WATCH=$!
ip netns exec right "$TOOL" watch 90 "$RIGHT_IP" \
    > "$OUT/watch-right.txt" 2> "$OUT/watch-right.err" &
WATCH_R=$!
sleep 2

step "SAs and policies through the backend"
ip netns exec left "$TOOL" install "$LEFT_IP" "$RIGHT_IP" "$LEFT_NET" \
    "$RIGHT_NET" "$spi_r" "$spi_l" $NATT || fail "install in left"
ip netns exec right "$TOOL" install "$RIGHT_IP" "$PEER_OF_RIGHT" \
    "$RIGHT_NET" "$LEFT_NET" "$spi_l" "$spi_r" $NATT ||
    fail "install in right"
ip -n left xfrm state > "$OUT/left-state.txt"
[ "$(grep -c "reqid 1224736769 mode tunnel" "$OUT/left-state.txt")" = 2 ] ||
    fail "left's SAs lack the backend's reqid"
if [ "$NATT" = natt ]; then
	[ "$(grep -c "encap type espinudp sport 4500 dport 4500" \
	    "$OUT/left-state.txt")" = 2 ] ||
	    fail "left's SAs lack UDP encapsulation"
fi

capture_start left eth0 left-out -Q out
capture_start right eth0 right-out -Q out
rnd=$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
MARK_TCP="IKE-LINUX-MARKER-TCP-$rnd"
MARK_UDP="IKE-LINUX-MARKER-UDP-$rnd"
CTL_UDP="IKE-LINUX-CONTROL-UDP-$rnd"

step "protected traffic $LEFT_LAN_IP <-> $RIGHT_LAN_IP"
ping_ok left "$RIGHT_LAN_IP" || fail "ping left -> $RIGHT_LAN_IP"
send_msg left right tcp "$RIGHT_LAN_IP" 5001 "$MARK_TCP" ||
    fail "TCP marker left -> $RIGHT_LAN_IP did not arrive"
send_msg right left udp "$LEFT_LAN_IP" 5002 "$MARK_UDP" ||
    fail "UDP marker right -> $LEFT_LAN_IP did not arrive"
step "control traffic outside the policies"
send_msg left right udp "$RIGHT_IP" 5003 "$CTL_UDP" ||
    fail "UDP control message left -> $RIGHT_IP did not arrive"
capture_stop

step "ESP counters (ip) and plat_sa_stats()"
for ns in left right; do
	xfrm_esp_check $ns 2 tunnel || fail "ESP states in $ns"
done
ip netns exec left "$TOOL" stats "$LEFT_IP" "$RIGHT_IP" "$spi_r" \
    "$spi_l" > "$OUT/stats-left.txt" || fail "stats in left"
cat "$OUT/stats-left.txt"
awk '$2 <= 0 || $3 <= 0 { bad = 1 } END { exit bad || NR != 2 }' \
    "$OUT/stats-left.txt" || fail "plat_sa_stats counters did not move"

step "captures"
for cap in left-out right-out; do
	if [ "$NATT" = natt ]; then
		natt_wire_check $cap "$MARK_TCP" "$MARK_UDP"
	else
		wire_check $cap "$MARK_TCP"
		wire_check $cap "$MARK_UDP"
	fi
	wire_leaks $cap "net $LEFT_NET or net $RIGHT_NET"
done
control_seen left-out "$CTL_UDP"

step "soft expiry upcall"
wait_until 10 grep -q "expire soft $spi_r" "$OUT/watch-left.txt" || {
	cat "$OUT/watch-left.txt" "$OUT/watch-left.err"
	fail "no soft expiry for $spi_r"
}
info "$(grep "expire soft" "$OUT/watch-left.txt")"
kill $WATCH $WATCH_R 2> /dev/null
wait $WATCH $WATCH_R 2> /dev/null

step "flush_own leaves the administrator's state"
ip -n left xfrm policy add src 10.9.0.0/16 dst 10.8.0.0/16 dir out \
    action block || fail "foreign policy"
ip -n left xfrm state add src 192.0.2.9 dst 192.0.2.8 proto esp spi 0x999 \
    reqid 5 mode tunnel aead 'rfc4106(gcm(aes))' \
    0x0102030405060708090a0b0c0d0e0f1011121314 128 || fail "foreign SA"
ip netns exec left "$TOOL" flush || fail "flush in left"
ip -n left xfrm state > "$OUT/left-state-flushed.txt"
ip -n left xfrm policy > "$OUT/left-policy-flushed.txt"
[ "$(grep -c '^src' "$OUT/left-state-flushed.txt")" = 1 ] &&
    grep -q "spi 0x00000999" "$OUT/left-state-flushed.txt" ||
    fail "flush left other SAs: $(cat "$OUT/left-state-flushed.txt")"
[ "$(grep -c '^src' "$OUT/left-policy-flushed.txt")" = 1 ] &&
    grep -q "src 10.9.0.0/16 dst 10.8.0.0/16" "$OUT/left-policy-flushed.txt" ||
    fail "flush left other policies: $(cat "$OUT/left-policy-flushed.txt")"
netns_pair_down
pass "Linux backend ESP tunnel${NATT:+ with NAT-T} on kernel $(uname -r)"
