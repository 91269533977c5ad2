# tests/interop/lib/scenario.sh: one interoperability scenario, run twice
# (bash, sourced by the scenario scripts inside the VM):
#
#   interop_main PEER CASE     PEER: strongswan | libreswan
#                              CASE: gcm31 | cbc14 | transport | ipv6 |
#                                    v1main | v1pfs | v1aggr |
#                                    v1transport | life_delete |
#                                    life_dpd | life_rekey
#
# Our isakmpd is the left gateway, the peer the right one.  The first run
# has our daemon initiate (`ike cmd=activate`), the second the peer
# (swanctl --initiate, whack --initiate), each in a fresh topology.  A run
# passes only if:
#  - our daemon lists phase 1 and phase 2 Active and the peer reports its
#    IKE SA established and Child SA installed, with the IKE version,
#    exchange mode (IKEv1: Main or Aggressive), PFS group and negotiated
#    algorithms of the case;
#  - ping and a TCP message with a random marker cross both ways between
#    the protected hosts (tunnel) or the gateways (transport);
#  - every ESP state in both kernels moved its byte counter, in the mode
#    and with the kernel algorithm of the case, and our daemon reports
#    bytes in and out for the phase-2 tunnel;
#  - what each gateway sends on the link holds ESP (over the right IP
#    family) and neither a marker nor a plaintext packet of the protected
#    traffic, while a control message outside the policies is there in
#    plaintext (the capture would have seen a leak).
# The life_* cases go on after these checks with what lib/lifecycle.sh
# does and proves; their role names the side that acts.
# Each run leaves $OUT/result-ROLE.txt (peer, version, scenario, role,
# status), which tests/interop/report.sh turns into docs/interop.md.

. "$IKE_VM_DIR/lib/checks.sh"
. "$IKE_VM_DIR/lib/netns.sh"
. "$IKE_VM_DIR/lib/ike.sh"
. "$(dirname "${BASH_SOURCE[0]}")/peers.sh"
. "$(dirname "${BASH_SOURCE[0]}")/lifecycle.sh"
# More cases, each file a family of them (certificates, NAT, mismatches,
# ...): a file defines case_NAME functions that _case_set calls for CASE
# NAME, and may set the hooks below.
for _f in "$(dirname "${BASH_SOURCE[0]}")"/case_*.sh; do
	[ -e "$_f" ] && . "$_f"
done
unset _f

# Hooks a case_NAME function may set (all empty by default):
#   C_TOPO       a function that replaces _topology (sets the same A_*)
#   C_FLOW       a function that replaces _flow_std, what runs between
#                the start of both daemons and their shutdown
#   C_OUR_LID C_OUR_RID   our IKE identities (ikedb XML elements)
#   C_OUR_AUTH   IKE_AuthenticationMethod of our IKETransform
#   C_OUR_TUN    attributes added to our IKETunnel (" IKE_LocalAddress=...")
#   C_OUR_SECRET our <IKEPresharedKey> element (default: P_PSK for
#                the peer's address; set it to " " for none)
#   C_OUR_CONF   lines added to our isakmpd.conf (ike_gw_start)
#   C_PRE_START  a function run after the peer's configuration is
#                written, before the daemons start (files, certificates)

# _case_set CASE: the case's algorithms, mode, family and expectations.
_case_set() {
	C_MODE=tunnel C_FAM=4 C_VERSION=2 C_AGGR=no C_PFS=0
	C_IKE_GCM=1 C_ESP_GCM=1 C_LIFE=""
	case $1 in
	gcm31) C_TITLE="IKEv2 PSK, tunnel, AES-GCM-256, Curve25519 (31)" ;;
	cbc14)
		C_TITLE="IKEv2 PSK, tunnel, AES-CBC-256/HMAC-SHA2-256, MODP-2048 (14)"
		C_IKE_GCM=0 C_ESP_GCM=0 ;;
	transport)
		C_TITLE="IKEv2 PSK, transport, AES-GCM-256, Curve25519 (31)"
		C_MODE=transport ;;
	ipv6)
		C_TITLE="IKEv2 PSK over IPv6, tunnel, AES-GCM-256, Curve25519 (31)"
		C_FAM=6 ;;
	v1*) _case_set_v1 "$1" ;;
	life_delete) C_LIFE=delete
		C_TITLE="IKEv2 lifecycle: Delete of the Child SA, then of the IKE SA, by the side named; AES-GCM-256, Curve25519 (31)" ;;
	life_dpd) C_LIFE=dpd
		C_TITLE="IKEv2 lifecycle: the other side killed, declared dead by the liveness checks of the side named; AES-GCM-256, Curve25519 (31)" ;;
	life_rekey) C_LIFE=rekey
		C_TITLE="IKEv2 lifecycle: Child SA and IKE SA rekeyed by the side named, ping running; AES-GCM-256, Curve25519 (31)" ;;
	*)
		declare -F "case_$1" > /dev/null ||
		    { echo "unknown case $1" >&2; exit 2; }
		"case_$1" ;;
	esac
	if [ $C_IKE_GCM = 1 ]; then
		C_OUR_IKE='IKE_Encryption="AES-GCM-256" IKE_Hash="SHA2-256" IKE_DHGroup="31"'
		C_OUR_ESP='ESP_Encryption="AES-GCM-256" ESP_Authentication="None"'
		P_IKE_SW=aes256gcm16-prfsha256-x25519 P_ESP_SW=aes256gcm16
		P_IKE_LS='aes_gcm256-sha2_256;dh31' P_ESP_LS=aes_gcm256
		C_SW_IKE=AES_GCM_16-256/PRF_HMAC_SHA2_256/CURVE_25519
		C_SW_ESP=AES_GCM_16-256
		C_LS_IKE='cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_256 group=DH31'
		C_LS_ESP='AES_GCM_16_256-NONE'
		C_KERNEL_ALG='rfc4106(gcm(aes))'
	else
		C_OUR_IKE='IKE_Encryption="AES-CBC-256" IKE_Hash="SHA2-256" IKE_DHGroup="14"'
		C_OUR_ESP='ESP_Encryption="AES-CBC-256" ESP_Authentication="HMAC-SHA2-256"'
		P_IKE_SW=aes256-sha256-modp2048 P_ESP_SW=aes256-sha256
		P_IKE_LS='aes256-sha2_256;modp2048' P_ESP_LS=aes256-sha2_256
		C_SW_IKE=AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048
		C_SW_ESP=AES_CBC-256/HMAC_SHA2_256_128
		C_LS_IKE='cipher=AES_CBC_256 integ=HMAC_SHA2_256_128 prf=HMAC_SHA2_256 group=MODP2048'
		C_LS_ESP='AES_CBC_256-HMAC_SHA2_256_128'
		C_KERNEL_ALG='cbc(aes)'
	fi
	[ $C_VERSION = 1 ] && _case_algs_v1
	P_VERSION=$C_VERSION P_AGGR=$C_AGGR
	return 0
}

# _case_set_v1 CASE: the IKEv1 cases, all PSK, AES-CBC-256 with
# SHA2-256 (ESP: HMAC-SHA2-256-128), Quick Mode after Main Mode unless
# C_AGGR.
_case_set_v1() {
	local t="AES-CBC-256/HMAC-SHA2-256, MODP-2048 (14)"
	C_VERSION=1 C_IKE_GCM=0 C_ESP_GCM=0 C_DH=14
	case $1 in
	v1main) C_TITLE="IKEv1 Main Mode PSK, tunnel, $t" ;;
	v1pfs)
		# libreswan 4.10 knows ECP groups in IKEv1 for phase 1 only
		# and uses the phase-1 group for PFS: so both are ECP-256
		C_DH=19 C_PFS=19
		C_TITLE="IKEv1 Main Mode PSK, tunnel, AES-CBC-256/HMAC-SHA2-256, ECP-256 (19), Quick Mode PFS ECP-256 (19)" ;;
	v1aggr) C_AGGR=yes
		C_TITLE="IKEv1 Aggressive Mode PSK, tunnel, $t" ;;
	v1transport) C_MODE=transport
		C_TITLE="IKEv1 Main Mode PSK, transport, $t" ;;
	*) echo "unknown case $1" >&2; exit 2 ;;
	esac
}

# _case_algs_v1: proposal strings and expectations of the IKEv1 cases
# (after the IKEv2 CBC ones, which they replace where IKEv1 differs).
_case_algs_v1() {
	local sw=modp2048 swn=MODP_2048 ls=modp2048 lsn=MODP2048
	[ $C_DH = 19 ] && sw=ecp256 swn=ECP_256 ls=dh19 lsn=DH19
	C_OUR_IKE="IKE_Encryption=\"AES-CBC-256\" IKE_Hash=\"SHA2-256\" IKE_DHGroup=\"$C_DH\""
	P_IKE_SW=aes256-sha256-$sw P_ESP_SW=aes256-sha256
	P_IKE_LS="aes256-sha2_256;$ls" P_ESP_LS=aes256-sha2_256
	C_SW_IKE=AES_CBC-256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/$swn
	C_SW_ESP=AES_CBC-256/HMAC_SHA2_256_128
	C_LS_IKE="auth=PRESHARED_KEY cipher=AES_CBC_256 integ=HMAC_SHA2_256 group=$lsn"
	C_LS_ESP='AES_CBC_256-HMAC_SHA2_256_128'
	P_PFS=no
	if [ $C_PFS != 0 ]; then
		P_ESP_SW=aes256-sha256-$sw C_SW_ESP=$C_SW_ESP/$swn P_PFS=yes
	fi
}

# _topology: netns.sh's pair (with hosts for tunnel mode), IPv6 added for
# the ipv6 case; sets the addresses the run uses (A_*).
_topology() {
	if [ -n "${C_TOPO:-}" ]; then
		"$C_TOPO"
		return
	fi
	if [ $C_MODE = tunnel ]; then
		netns_pair_up --hosts || fail "netns_pair_up --hosts"
	else
		netns_pair_up || fail "netns_pair_up"
	fi
	A_L=$LEFT_IP A_R=$RIGHT_IP A_LNET=$LEFT_NET A_RNET=$RIGHT_NET
	A_LH=${LEFT_HOST_IP:-} A_RH=${RIGHT_HOST_IP:-}
	A_LC=$LEFT_IP A_RC=$RIGHT_IP
	A_LEAK="net $LEFT_NET or net $RIGHT_NET"
	if [ $C_MODE = transport ]; then
		# the control message uses two more addresses of the link
		A_LC=198.51.100.1 A_RC=198.51.100.2
		ip -n left addr add $A_LC/24 dev eth0
		ip -n right addr add $A_RC/24 dev eth0
		A_LEAK="icmp or (tcp and host $A_L and host $A_R)"
	fi
	[ $C_FAM = 6 ] && _topology6
	return 0
}

# _topology6: IPv6 on the link (2001:db8::/64), the protected subnets
# 2001:db8:1::/64 and 2001:db8:2::/64 with their hosts.
_topology6() {
	local ns
	for ns in left right left-host right-host; do
		ip netns exec $ns sysctl -q -w net.ipv6.conf.all.disable_ipv6=0 \
		    net.ipv6.conf.default.disable_ipv6=0 \
		    net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
	done
	for ns in left right; do
		ip netns exec $ns sysctl -q -w net.ipv6.conf.all.forwarding=1
	done
	A_L=2001:db8::1 A_R=2001:db8::2 A_LC=2001:db8::1 A_RC=2001:db8::2
	A_LNET=2001:db8:1::/64 A_RNET=2001:db8:2::/64
	A_LH=2001:db8:1::10 A_RH=2001:db8:2::10
	ip -n left addr add $A_L/64 dev eth0 nodad
	ip -n right addr add $A_R/64 dev eth0 nodad
	ip -n left addr add 2001:db8:1::1/64 dev lan0 nodad
	ip -n right addr add 2001:db8:2::1/64 dev lan0 nodad
	ip -n left-host addr add $A_LH/64 dev eth0 nodad
	ip -n right-host addr add $A_RH/64 dev eth0 nodad
	ip -n left-host -6 route add default via 2001:db8:1::1
	ip -n right-host -6 route add default via 2001:db8:2::1
	ip -n left -6 route add $A_RNET via $A_R dev eth0 src 2001:db8:1::1
	ip -n right -6 route add $A_LNET via $A_L dev eth0 src 2001:db8:2::1
	A_LEAK="net $A_LNET or net $A_RNET"
	wait_until 10 ip netns exec left busybox ping -c 1 -W 1 $A_R ||
	    fail "no IPv6 between the gateways"
}

# _ident KIND ADDR_OR_NET: an identity element of ikedb's XML.
_ident() {
	case $1:$2 in
	net:*:*) echo "<IPV6_Subnet Value=\"${2%/*}\" PrefixLength=\"${2#*/}\"/>" ;;
	net:*) echo "<IPV4_Subnet Value=\"${2%/*}\" NetMask=\"255.255.255.0\"/>" ;;
	addr:*:*) echo "<IPV6_Address Value=\"$2\"/>" ;;
	addr:*) echo "<IPV4_Address Value=\"$2\"/>" ;;
	esac
}

# _our_xml FILE: our definitions (left), the phase 2 named "p2".
_our_xml() {
	local lsel rsel mode=Tunnel xchg="" pfs="" auth="" secret
	local lid=${C_OUR_LID:-$(_ident addr $A_L)}
	local rid=${C_OUR_RID:-$(_ident addr $A_R)}
	secret=${C_OUR_SECRET:-"<IKEPresharedKey Value=\"$P_PSK\" Format=\"ASCII\">
    <IKEPresharedRemoteID>$(_ident addr $A_R)</IKEPresharedRemoteID>
  </IKEPresharedKey>"}
	[ -z "${C_OUR_AUTH:-}" ] ||
	    auth=" IKE_AuthenticationMethod=\"$C_OUR_AUTH\""
	[ $C_VERSION = 1 ] && xchg=" IKE_XCHGMode=\"Main\""
	[ $C_AGGR = yes ] && xchg=" IKE_XCHGMode=\"Aggressive\""
	[ $C_PFS = 0 ] || pfs=" IPSec_InitiatorDHGroup=\"$C_PFS\""
	if [ $C_MODE = tunnel ]; then
		lsel=$(_ident net $A_LNET) rsel=$(_ident net $A_RNET)
	else
		lsel=$(_ident addr $A_L) rsel=$(_ident addr $A_R) mode=Transport
	fi
	cat > "$1" <<XML
<?xml version="1.0"?>
<AIX_VPN Version="2.0">
  <IKEProtection IKE_ProtectionName="interop-ike" IKE_Version="$C_VERSION"$xchg${C_OUR_LIFE_P1:-}>
    <IKETransform $C_OUR_IKE$auth${C_OUR_LIFE_IKE:-}/>
  </IKEProtection>
  <IKETunnel IKE_TunnelName="p1" IKE_ProtectionRef="interop-ike"${C_OUR_TUN:-}>
    <IKELocalIdentity>$lid</IKELocalIdentity>
    <IKERemoteIdentity>$rid</IKERemoteIdentity>
  </IKETunnel>
  $secret
  <IPSecProposal IPSec_ProposalName="interop-esp">
    <IPSecESPProtocol $C_OUR_ESP ESP_EncapsulationMode="$mode"${C_OUR_LIFE_ESP:-}/>
  </IPSecProposal>
  <IPSecProtection IPSec_ProtectionName="interop-p2" IPSec_ProposalRefs="interop-esp"$pfs${C_OUR_PFS:-}${C_OUR_LIFE_P2:-}/>
  <IPSecTunnel IPSec_TunnelName="p2" IKE_TunnelName="p1" IPSec_ProtectionRef="interop-p2">
    <IPSecLocalIdentity>$lsel</IPSecLocalIdentity>
    <IPSecRemoteIdentity>$rsel</IPSecRemoteIdentity>
  </IPSecTunnel>
</AIX_VPN>
XML
}

# The receiver of xmsg: one TCP connection or one UDP datagram, either
# family (IO::Socket::IP is in perl-base).
_XRECV_PL='
use IO::Socket::IP;
my ($proto, $port, $any) = @ARGV;
alarm 30;
my $s = IO::Socket::IP->new(LocalHost => $any, LocalPort => $port,
    Proto => $proto, ReuseAddr => 1, ($proto eq "tcp" ? (Listen => 1) : ()))
    or die "cannot listen on $proto port $port: $@\n";
print STDERR "ready\n";
my $m;
if ($proto eq "tcp") {
	my $c = $s->accept or die "accept: $!\n";
	local $/; $m = <$c>;
} else {
	$s->recv($m, 65535) // die "recv: $!\n";
}
print $m;'

# xmsg SRC_NS DST_NS tcp|udp DST_IP PORT MSG: like checks.sh's send_msg,
# for IPv4 and IPv6; 0 if exactly MSG arrived.
xmsg() {
	local sns=$1 dns=$2 proto=$3 dip=$4 port=$5 msg=$6 f pid any=0.0.0.0
	case $dip in *:*) any=:: ;; esac
	f=$(mktemp "$INTEROP_WORK/recv.XXXXXX")
	ip netns exec "$dns" perl -e "$_XRECV_PL" "$proto" "$port" "$any" \
	    > "$f" 2> "$f.err" &
	pid=$!
	if ! wait_until 30 grep -q ready "$f.err"; then
		cat "$f.err" >&2
		kill $pid 2> /dev/null
		return 1
	fi
	ip netns exec "$sns" timeout 20 bash -c \
	    'printf "%s" "$1" > "/dev/$2/$3/$4"' _ "$msg" "$proto" "$dip" "$port"
	wait $pid
	[ "$(cat "$f")" = "$msg" ]
}

# _result ROLE STATUS: the run's result for report.sh.
_result() {
	cat > "$OUT/result-$1.txt" <<R
peer=$(peer_name $K)
version=$(peer_version $K)
case=$CASE
title=$C_TITLE
role=$1
status=$2
R
}

_dump() {
	ike_dump left
	peer_status $K $PN "$OUT/$ROLE-peer-status.txt"
	echo "---- [right] $(peer_name $K) status"
	cat "$OUT/$ROLE-peer-status.txt"
	echo "---- [right] $(peer_name $K) log (last 40 lines)"
	tail -40 "$OUT/$PN.log"
}

# _bring_up: the initiator of ROLE starts; both sides report it up.
_bring_up() {
	if [ "$ROLE" = ours ]; then
		ike_in left "$IKE_BIN_DIR/ike" cmd=activate phase=2 namelist=p2 ||
		    { _dump; fail "ike cmd=activate"; }
	else
		peer_initiate $K $PN > "$OUT/$ROLE-initiate.txt" 2>&1 ||
		    { cat "$OUT/$ROLE-initiate.txt"; _dump
		    fail "$(peer_name $K) could not initiate"; }
	fi
	ike_wait left 2 Active 40 || { _dump; fail "ours: phase 2 not Active"; }
	ike_wait left 1 Active 5 || { _dump; fail "ours: phase 1 not Active"; }
	wait_until 30 peer_established $K $PN ||
	    { _dump; fail "$(peer_name $K): no established IKE and Child SA"; }
	ike_in left "$IKE_BIN_DIR/ike" cmd=list
}

# _traffic: ping and markers between the protected ends, control
# messages outside the policies, captured where they leave each gateway.
_traffic() {
	local l=left-host r=right-host la=$A_LH ra=$A_RH
	[ $C_MODE = tunnel ] || { l=left r=right la=$A_L ra=$A_R; }
	capture_start left eth0 "$ROLE-wire-left" -Q out
	capture_start right eth0 "$ROLE-wire-right" -Q out
	ping_ok $l "$ra" 5 || { _dump; fail "ping $l -> $ra"; }
	ping_ok $r "$la" 5 || { _dump; fail "ping $r -> $la"; }
	M1=interop-marker-$RANDOM$RANDOM M2=interop-marker-$RANDOM$RANDOM
	C1=interop-control-$RANDOM$RANDOM C2=interop-control-$RANDOM$RANDOM
	xmsg $l $r tcp "$ra" 7001 "$M1" || fail "TCP marker $l -> $r"
	xmsg $r $l tcp "$la" 7001 "$M2" || fail "TCP marker $r -> $l"
	xmsg left right udp "$A_RC" 7002 "$C1" || fail "control left -> right"
	xmsg right left udp "$A_LC" 7002 "$C2" || fail "control right -> left"
	capture_stop
}

# _wire_checks: ESP of the right family, no marker, no plaintext of the
# protected traffic, the control message visible.
_wire_checks() {
	local w ip=ip
	[ $C_FAM = 6 ] && ip=ip6
	wire_check "$ROLE-wire-left" "$M1"
	wire_check "$ROLE-wire-right" "$M2"
	for w in "$ROLE-wire-left" "$ROLE-wire-right"; do
		! pcap_has $w "$M1" || fail "$w: marker $M1 in plaintext"
		! pcap_has $w "$M2" || fail "$w: marker $M2 in plaintext"
		wire_leaks $w "$A_LEAK"
		[ "$(pcap_count $w "esp and $ip")" -gt 0 ] ||
		    fail "$w: no ESP over IPv$C_FAM"
	done
	control_seen "$ROLE-wire-left" "$C1"
	control_seen "$ROLE-wire-right" "$C2"
}

# _kernel_checks: every ESP state of both kernels moved bytes, in the
# case's mode and with its algorithm.
_kernel_checks() {
	local ns n a
	for ns in left right; do
		xfrm_esp_check $ns 2 $C_MODE || fail "$ns: ESP states"
		cp "$OUT/xfrm-state-$ns.txt" "$OUT/$ROLE-xfrm-state-$ns.txt"
		n=$(grep -c 'proto esp' "$OUT/xfrm-state-$ns.txt")
		a=$(grep -cF "$C_KERNEL_ALG" "$OUT/xfrm-state-$ns.txt")
		[ "$n" = "$a" ] ||
		    fail "$ns: $a of $n ESP states use $C_KERNEL_ALG"
		[ $C_ESP_GCM = 1 ] ||
		    [ "$(grep -Ec 'auth-trunc hmac\(sha256\) 0x[0-9a-f]+ \(256 bits\) 128$' \
		    "$OUT/xfrm-state-$ns.txt")" = "$n" ] ||
		    fail "$ns: not every ESP state uses hmac(sha256)/128"
	done
}

# _daemon_checks: our listing and the peer's status report the SAs, the
# negotiated algorithms and traffic both ways.
_daemon_checks() {
	local f=$OUT/$ROLE-left-verbose.txt k r=Initiator
	[ $ROLE = ours ] || r=Responder
	ike_in left "$IKE_BIN_DIR/ike" cmd=list verbose > "$f"
	for k in "Bytes In" "Bytes Out"; do
		grep -Eq "^$k: [1-9]" "$f" ||
		    { cat "$f"; fail "ours: no '$k' above 0"; }
	done
	# the two entries (phase 1, phase 2): version, role, PFS group
	for k in "IKE Version: $C_VERSION" "Role: $r"; do
		[ "$(grep -c "^$k\$" "$f")" = 2 ] ||
		    { cat "$f"; fail "ours: not both phases list '$k'"; }
	done
	# (the group configured for phase 2: lib/lifecycle.sh sets one)
	k=${C_LIST_PFS:-$C_PFS}
	grep -q "^PFS DH Group: $k\$" "$f" ||
	    { cat "$f"; fail "ours: phase 2 not 'PFS DH Group: $k'"; }
	if [ $C_VERSION = 1 ]; then
		k=Main
		[ $C_AGGR = yes ] && k=Aggressive
		grep -q "^Exchange Mode: $k\$" "$f" &&
		    grep -q "^DH Group: $C_DH\$" "$f" ||
		    { cat "$f"; fail "ours: phase 1 not $k Mode, group $C_DH"; }
	fi
	peer_status $K $PN "$OUT/$ROLE-peer-status.txt"
	cat "$OUT/$ROLE-peer-status.txt"
	_peer_checks_$K "$OUT/$ROLE-peer-status.txt"
}

# _peer_checks_sw STATUS: swanctl --list-sas shows strongSwan's role
# (the star marks its own SPI: _i* initiator, _r* responder), the
# algorithms, the mode and bytes both ways.
_peer_checks_sw() {
	local s=$1 k='_i\*'
	[ $ROLE = peer ] || k='_r\*'
	grep -Eq "^gw: #[0-9]+, ESTABLISHED, IKEv$C_VERSION, [0-9a-f]+_i\*? [0-9a-f]+_r\*?\$" "$s" &&
	    grep -q "$k" "$s" ||
	    fail "strongSwan: no IKEv$C_VERSION SA with its SPI marked $k"
	grep -qF "$C_SW_IKE" "$s" || fail "strongSwan: IKE SA not $C_SW_IKE"
	# C_SW_ENCAP: "-in-UDP" for the NAT-T cases (ESP in UDP)
	grep -qiF "INSTALLED, $C_MODE${C_SW_ENCAP:-}, ESP:$C_SW_ESP" "$s" ||
	    fail "strongSwan: Child SA not $C_MODE${C_SW_ENCAP:-} $C_SW_ESP"
	# a D-H group after the ESP algorithms is the PFS group
	[ $C_PFS != 0 ] || ! grep -Eq 'INSTALLED, .*ESP:.*/(MODP|ECP|CURVE)_' "$s" ||
	    fail "strongSwan: Child SA with PFS, none expected"
	grep -Eq '^ +in +[0-9a-f]{8}(_i|_r)?, +[1-9][0-9]* bytes' "$s" ||
	    fail "strongSwan: no bytes in"
	grep -Eq '^ +out +[0-9a-f]{8}(_i|_r)?, +[1-9][0-9]* bytes' "$s" ||
	    fail "strongSwan: no bytes out"
	[ $C_VERSION = 1 ] && _peer_checks_sw_v1
	return 0
}

# _peer_checks_sw_v1: charon's log shows the exchange mode of the
# case (ID_PROT is Main Mode, AGGRESSIVE is Aggressive Mode) and, with
# PFS, a KE payload in Quick Mode.
_peer_checks_sw_v1() {
	local log=$OUT/$PN.log x=ID_PROT y=AGGRESSIVE
	[ $C_AGGR = yes ] && x=AGGRESSIVE y=ID_PROT
	grep -q "$x \(request\|response\)" "$log" ||
	    fail "strongSwan's log: no $x exchange"
	! grep -q "$y \(request\|response\)" "$log" ||
	    fail "strongSwan's log: an $y exchange, $x expected"
	if [ $C_PFS != 0 ]; then
		grep -Eq 'QUICK_MODE (request|response) [0-9]+ \[.* KE ' "$log" ||
		    fail "strongSwan's log: no KE payload in Quick Mode"
	else
		! grep -Eq 'QUICK_MODE (request|response) [0-9]+ \[.* KE ' "$log" ||
		    fail "strongSwan's log: a KE payload in Quick Mode"
	fi
}

# _peer_checks_ls STATUS: pluto's log shows its role, the negotiated
# algorithms and the mode; whack --trafficstatus bytes both ways.
_peer_checks_ls() {
	[ $C_VERSION = 1 ] && { _peer_checks_ls_v1 "$1"; return; }
	local s=$1 log=$OUT/$PN.log k=initiator
	[ $ROLE = peer ] || k=responder
	grep -q "\"gw\" #1: $k established IKE SA" "$log" ||
	    fail "libreswan's log: no '$k established IKE SA'"
	grep -qF "$C_LS_IKE" "$log" ||
	    fail "libreswan: IKE SA not '$C_LS_IKE' (log)"
	grep -Eq "$k established Child SA using #1; IPsec $C_MODE .*xfrm=$C_LS_ESP " "$log" ||
	    fail "libreswan: no $C_MODE Child SA with $C_LS_ESP (log)"
	grep -Eq 'inBytes=[1-9][0-9]*, outBytes=[1-9]' "$s" ||
	    fail "libreswan: trafficstatus shows no bytes both ways"
}

# _peer_checks_ls_v1 STATUS: IKEv1: pluto's states show its role and
# the exchange mode (STATE_MAIN_I4 / _R3, STATE_AGGR_I2 / _R2,
# STATE_QUICK_I2 / _R2), its log the algorithms, the mode and (as
# initiator) the PFS group; trafficstatus bytes both ways.
_peer_checks_ls_v1() {
	local s=$1 log=$OUT/$PN.log p1=MAIN_R3 p2=QUICK_R2
	[ $C_AGGR = yes ] && p1=AGGR_R2
	if [ $ROLE = peer ]; then
		p1=MAIN_I4 p2=QUICK_I2
		[ $C_AGGR = yes ] && p1=AGGR_I2
	fi
	grep -q "STATE_$p1 (IKE SA established)" "$s" ||
	    fail "libreswan: its ISAKMP SA is not in STATE_$p1"
	grep -q "STATE_$p2 (IPsec SA established)" "$s" ||
	    fail "libreswan: its IPsec SA is not in STATE_$p2"
	grep -qF "IKE SA established {$C_LS_IKE}" "$log" ||
	    fail "libreswan: ISAKMP SA not '$C_LS_IKE' (log)"
	grep -Eq "IPsec SA established $C_MODE mode .*xfrm=$C_LS_ESP " "$log" ||
	    fail "libreswan: no $C_MODE IPsec SA with $C_LS_ESP (log)"
	if [ $ROLE = peer ] && [ $C_PFS != 0 ]; then
		grep -q "initiating Quick Mode .*+PFS+.*pfsgroup=DH$C_PFS}" "$log" ||
		    fail "libreswan: Quick Mode without PFS group DH$C_PFS (log)"
	fi
	grep -Eq 'inBytes=[1-9][0-9]*, outBytes=[1-9]' "$s" ||
	    fail "libreswan: trafficstatus shows no bytes both ways"
}

# _flow_std: the tunnel comes up, traffic crosses protected, the
# checks; then the lifecycle part of life_* cases.
_flow_std() {
	_bring_up
	step "traffic"
	_traffic
	step "checks"
	_wire_checks
	_kernel_checks
	_daemon_checks
	if [ -n "$C_LIFE" ]; then
		step "lifecycle: $C_LIFE by $([ $ROLE = ours ] && echo isakmpd || peer_name $K)"
		_life_$C_LIFE
	fi
}

# _role ROLE: one complete run in a fresh topology (in a subshell: fail
# ends the run, not the script).
_role() {
	ROLE=$1
	step "$(peer_name $K) $(peer_version $K), $C_TITLE; initiator: " \
	    "$([ $ROLE = ours ] && echo isakmpd || peer_name $K)"
	_result $ROLE FAIL
	_life_setup
	_topology
	mkdir -p "$INTEROP_WORK"
	P_ME=$A_R P_PEER=$A_L P_PSK="interop $CASE key $RANDOM$RANDOM"
	P_MY_TS="" P_PEER_TS=""
	[ $C_MODE = tunnel ] && P_MY_TS=$A_RNET P_PEER_TS=$A_LNET
	_our_xml "$OUT/$ROLE-left.xml"
	ike_load left "$OUT/$ROLE-left.xml" || fail "ikedb -p"
	peer_conf_$K $PN
	[ -z "${C_PRE_START:-}" ] || "$C_PRE_START"
	peer_start $K $PN right
	# shellcheck disable=SC2086 # C_OUR_CONF: lines without blanks
	ike_gw_start left ${C_OUR_CONF:-}
	"${C_FLOW:-_flow_std}"
	step "shutdown"
	peer_stop $K $PN
	ike_gw_stop left
	_result $ROLE PASS
	pass "$C_TITLE with $(peer_name $K), initiator $ROLE"
}

# _cleanup: every process of the run ends with its namespaces; our
# database and the peers' directories go too.
_cleanup() {
	# the run's subshell set NETNS_PAIR_NAMESPACES; name them all here
	NETNS_PAIR_NAMESPACES="left right nat left-host right-host" netns_pair_down
	rm -rf "$INTEROP_WORK" /tmp/ike-gw-left
}

interop_main() {
	local rc=0 role f
	PEER=$1 CASE=$2
	case $PEER in
	strongswan) K=sw ;;
	libreswan) K=ls ;;
	*) echo "usage: $0 strongswan|libreswan" >&2; exit 2 ;;
	esac
	PN=$K-right
	vm_require_guest
	_case_set "$CASE"
	export ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=1
	kernel_ipsec_probe || fail "the VM kernel lacks IPsec support"
	[ $K = sw ] || [ -x "$LS_EXEC/pluto" ] ||
	    fail "no pluto in $LS_EXEC (run tests/interop/prepare.sh)"
	for role in ours peer; do
		(_role $role) || rc=1
		_cleanup
		for f in isakmpd-left.log $PN.log; do
			[ ! -f "$OUT/$f" ] || mv "$OUT/$f" "$OUT/$role-$f"
		done
	done
	[ $rc = 0 ] || { echo "FAIL: $C_TITLE with $(peer_name $K)"; exit 1; }
	pass "$C_TITLE with $(peer_name $K), both initiators"
}
