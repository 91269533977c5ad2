# lib/defs.sh: tunnel definitions for the daemon tests (bash, sourced):
# defs_gateway (IKEv2) and defs_v1 (IKEv1, below).
#
#   defs_gateway FILE NAME LEFT RIGHT LEFT_NET RIGHT_NET [ATTR...]
#
# writes to FILE an IKEv2 gateway-to-gateway definition set seen from the
# left: IKETunnel NAME between the addresses LEFT and RIGHT (identities
# IPV4_Address), PSK for both, IPSecTunnel NAME-p2 protecting LEFT_NET
# (a.b.c.d/24) to RIGHT_NET with ESP AES-GCM-256 in tunnel mode.  ATTR
# words set attributes: ondemand (IPSec_Flags_OnDemand="Yes"),
# esp_min=N (ESP_KeyRefreshMinutes), ike_min=N (IKE_KeyRefreshMinutes),
# ike_overlap=N (IKE_KeyOverlap), p2_overlap=N (IPSec_KeyOverlap).
# The right side loads the same file with `ikedb -ps`.  Several calls with
# different NAMEs and files can be loaded one after the other.

defs_gateway() {
	local f=$1 n=$2 l=$3 r=$4 ln=${5%/*} rn=${6%/*} a
	local od=No esp=60 ike=480 iov=10 pov=5
	shift 6
	for a in "$@"; do
		case $a in
		ondemand) od=Yes ;;
		esp_min=*) esp=${a#*=} ;;
		ike_min=*) ike=${a#*=} ;;
		ike_overlap=*) iov=${a#*=} ;;
		p2_overlap=*) pov=${a#*=} ;;
		*) echo "defs_gateway: unknown attribute $a" >&2; return 2 ;;
		esac
	done
	cat > "$f" <<XML
<?xml version="1.0"?>
<AIX_VPN Version="2.0">
  <IKEProtection IKE_ProtectionName="$n-ike" IKE_Version="2" IKE_KeyOverlap="$iov">
    <IKETransform IKE_Encryption="AES-GCM-256" IKE_Hash="SHA2-256" IKE_DHGroup="31" IKE_KeyRefreshMinutes="$ike"/>
  </IKEProtection>
  <IKETunnel IKE_TunnelName="$n" IKE_ProtectionRef="$n-ike">
    <IKELocalIdentity><IPV4_Address Value="$l"/></IKELocalIdentity>
    <IKERemoteIdentity><IPV4_Address Value="$r"/></IKERemoteIdentity>
  </IKETunnel>
  <IKEPresharedKey Value="$n key" Format="ASCII">
    <IKEPresharedRemoteID><IPV4_Address Value="$r"/></IKEPresharedRemoteID>
  </IKEPresharedKey>
  <IKEPresharedKey Value="$n key" Format="ASCII">
    <IKEPresharedRemoteID><IPV4_Address Value="$l"/></IKEPresharedRemoteID>
  </IKEPresharedKey>
  <IPSecProposal IPSec_ProposalName="$n-esp">
    <IPSecESPProtocol ESP_Encryption="AES-GCM-256" ESP_Authentication="None" ESP_KeyRefreshMinutes="$esp"/>
  </IPSecProposal>
  <IPSecProtection IPSec_ProtectionName="$n-p2" IPSec_ProposalRefs="$n-esp" IPSec_KeyOverlap="$pov"/>
  <IPSecTunnel IPSec_TunnelName="$n-p2" IKE_TunnelName="$n" IPSec_ProtectionRef="$n-p2" IPSec_Flags_OnDemand="$od">
    <IPSecLocalIdentity><IPV4_Subnet Value="$ln" NetMask="255.255.255.0"/></IPSecLocalIdentity>
    <IPSecRemoteIdentity><IPV4_Subnet Value="$rn" NetMask="255.255.255.0"/></IPSecRemoteIdentity>
  </IPSecTunnel>
</AIX_VPN>
XML
}

# own_state NS: the number of SAs plus policies in NS whose reqid is in
# isakmpd's range (0x49000000 and above, see platform/linux/linux.h).
own_state() {
	{ ip -n "$1" xfrm state; ip -n "$1" xfrm policy; } |
	    grep -o 'reqid [0-9]*' | awk '$2 >= 1224736768 { n++ } END { print n + 0 }'
}

# defs_v1 FILE NAME LOCAL REMOTE LOCAL_P2 REMOTE_P2 [ATTR...]
#
# writes to FILE an IKEv1 definition set seen from the local side:
# IKEProtection NAME-ike (IKE_Version 1, Main Mode, AES-CBC-256 with
# SHA2-256 and group 14, then 3DES-CBC with SHA and group 5), IKETunnel
# NAME between the addresses LOCAL and REMOTE (identities IPV4_Address
# unless local_id=/remote_id= give FQDNs, which add IKE_LocalAddress and
# IKE_RemoteAddress), the preshared keys, and IPSecTunnel NAME-p2 from
# LOCAL_P2 to REMOTE_P2 (a.b.c.d/24: IPV4_Subnet; a.b.c.d: IPV4_Address)
# with ESP AES-CBC-256 / HMAC-SHA2-256.  ATTR words: aggressive
# (IKE_XCHGMode="Aggressive"), transport (ESP_EncapsulationMode
# Transport), pfs=G (IPSec_InitiatorDHGroup, the PFS group of every
# Quick Mode), local_id=FQDN, remote_id=FQDN, esp_min=N, ike_min=N.
# With address identities the file is symmetric: the other side loads
# it with `ikedb -ps`.
defs_v1() {
	local f=$1 n=$2 l=$3 r=$4 lp=$5 rp=$6 a
	local xm=Main mode=Tunnel pfs=0 lid="" rid="" esp=60 ike=480
	shift 6
	for a in "$@"; do
		case $a in
		aggressive) xm=Aggressive ;;
		transport) mode=Transport ;;
		pfs=*) pfs=${a#*=} ;;
		local_id=*) lid=${a#*=} ;;
		remote_id=*) rid=${a#*=} ;;
		esp_min=*) esp=${a#*=} ;;
		ike_min=*) ike=${a#*=} ;;
		*) echo "defs_v1: unknown attribute $a" >&2; return 2 ;;
		esac
	done
	local addrs="" lident="<IPV4_Address Value=\"$l\"/>"
	local rident="<IPV4_Address Value=\"$r\"/>" keys
	[ -z "$lid" ] || lident="<FQDN Value=\"$lid\"/>"
	[ -z "$rid" ] || rident="<FQDN Value=\"$rid\"/>"
	[ -z "$lid$rid" ] ||
	    addrs=" IKE_LocalAddress=\"$l\" IKE_RemoteAddress=\"$r\""
	keys="<IKEPresharedKey Value=\"$n v1 key\" Format=\"ASCII\">
    <IKEPresharedRemoteID>$rident</IKEPresharedRemoteID>
  </IKEPresharedKey>"
	[ -n "$rid" ] || keys="$keys
  <IKEPresharedKey Value=\"$n v1 key\" Format=\"ASCII\">
    <IKEPresharedRemoteID>$lident</IKEPresharedRemoteID>
  </IKEPresharedKey>"
	cat > "$f" <<XML
<?xml version="1.0"?>
<AIX_VPN Version="2.0">
  <IKEProtection IKE_ProtectionName="$n-ike" IKE_Version="1" IKE_XCHGMode="$xm">
    <IKETransform IKE_Encryption="AES-CBC-256" IKE_Hash="SHA2-256" IKE_DHGroup="14" IKE_KeyRefreshMinutes="$ike"/>
    <IKETransform IKE_Encryption="3DES-CBC" IKE_Hash="SHA" IKE_DHGroup="5" IKE_KeyRefreshMinutes="$ike"/>
  </IKEProtection>
  <IKETunnel IKE_TunnelName="$n" IKE_ProtectionRef="$n-ike"$addrs>
    <IKELocalIdentity>$lident</IKELocalIdentity>
    <IKERemoteIdentity>$rident</IKERemoteIdentity>
  </IKETunnel>
  $keys
  <IPSecProposal IPSec_ProposalName="$n-esp">
    <IPSecESPProtocol ESP_Encryption="AES-CBC-256" ESP_Authentication="HMAC-SHA2-256" ESP_EncapsulationMode="$mode" ESP_KeyRefreshMinutes="$esp"/>
  </IPSecProposal>
  <IPSecProtection IPSec_ProtectionName="$n-p2" IPSec_ProposalRefs="$n-esp" IPSec_InitiatorDHGroup="$pfs"/>
  <IPSecTunnel IPSec_TunnelName="$n-p2" IKE_TunnelName="$n" IPSec_ProtectionRef="$n-p2">
    <IPSecLocalIdentity>$(_defs_p2id "$lp")</IPSecLocalIdentity>
    <IPSecRemoteIdentity>$(_defs_p2id "$rp")</IPSecRemoteIdentity>
  </IPSecTunnel>
</AIX_VPN>
XML
}

# a.b.c.d/24 -> IPV4_Subnet, a.b.c.d -> IPV4_Address.
_defs_p2id() {
	case $1 in
	*/24) echo "<IPV4_Subnet Value=\"${1%/*}\" NetMask=\"255.255.255.0\"/>" ;;
	*) echo "<IPV4_Address Value=\"$1\"/>" ;;
	esac
}
