# tests/interop/lib/peers.sh: the peers of the interoperability tests,
# strongSwan's charon (driven with swanctl) and libreswan's pluto (the
# .deb unpacked by tests/interop/prepare.sh, driven with whack), each in a
# network namespace of tests/vm/lib/netns.sh (bash, sourced inside the VM
# after tests/vm/lib/checks.sh).  Every instance keeps its state under
# /tmp/interop/NAME (guest RAM) and its log in $OUT/NAME.log.
#
#   peer_conf_sw NAME                strongswan.conf + swanctl.conf
#   peer_conf_ls NAME                ipsec.conf, ipsec.secrets, NSS db
#   peer_start KIND NAME NS          start charon (sw) or pluto (ls)
#   peer_stop KIND NAME              stop it and wait
#   peer_initiate KIND NAME          the peer starts the tunnel
#   peer_established KIND NAME       IKE SA and Child SA up (status)
#   peer_status KIND NAME FILE       full status into FILE
#   peer_version KIND                the package version
#   peer_name KIND                   strongSwan or libreswan
#   peer_has KIND NAME ike|child     an IKE SA / Child SA established
#   peer_delete KIND NAME ike|child  the peer sends a Delete for it
#   peer_rekey KIND NAME ike|child   the peer rekeys it
#   peer_kill KIND NAME              kill -9, nothing sent
#
# A configuration is described by variables set before peer_conf_*:
#   P_ME P_PEER        own and remote gateway address
#   P_MY_ID P_PEER_ID  own and remote IKE identity (default: the
#                      addresses; behind a NAT the other side's ID is
#                      its private address)
#   P_MY_TS P_PEER_TS  protected subnets (empty: transport mode)
#   P_IKE_SW P_ESP_SW  strongSwan proposal strings (a D-H group in
#                      P_ESP_SW asks for PFS)
#   P_IKE_LS P_ESP_LS  libreswan proposal strings
#   P_PSK              the pre-shared key
#   P_VERSION          1 or 2 (default 2): the IKE version
#   P_AGGR             yes: IKEv1 Aggressive Mode (default no)
#   P_PFS              IKEv1, libreswan: yes for PFS in Quick Mode with
#                      the group of P_ESP_LS (default no)
#   P_DPD              seconds: liveness checks (DPD) this often, the
#                      peer declared dead after a few seconds without
#                      an answer (default: none)
#   P_AUTH             psk (default), rsa or ecdsa: certificates, both
#                      sides authenticated with the same kind of key;
#                      P_MY_ID and P_PEER_ID are then the subject DNs
#   P_CERT P_KEY       the peer's own certificate and private key (PEM)
#   P_CA               the CA certificate (PEM) the other side's
#                      certificate must chain to

INTEROP_WORK=/tmp/interop
LS_EXEC=${IKE_VM_CACHE:-/var/cache/ike-vm}/libreswan/usr/libexec/ipsec
CHARON=/usr/lib/ipsec/charon
# charon's plugins, explicitly: Debian's full set (af-alg above all)
# probes the kernel's crypto API with a modprobe per algorithm, seconds
# under TCG, and the tests need only these.
SW_PLUGINS="random nonce openssl pem pkcs1 pkcs8 x509 pubkey curve25519 aes
 sha1 sha2 hmac gcm kdf gmp kernel-netlink socket-default vici updown"
declare -A PEER_PID

peer_dir() { echo "$INTEROP_WORK/$1"; }
p_version() { echo "${P_VERSION:-2}"; }
p_aggr() { echo "${P_AGGR:-no}"; }
sw_uri() { echo "unix://$(peer_dir "$1")/run/charon.vici"; }

# sw NAME --COMMAND ARGS...: swanctl against instance NAME (the command
# comes first: swanctl parses its options per command).
sw() {
	local n=$1 c=$2 sd=/etc/swanctl
	shift 2
	# with certificates the private key is in the instance's own
	# swanctl folders (NAME/private), read by --load-all
	[ "${P_AUTH:-psk}" = psk ] || sd=$(peer_dir "$n")
	STRONGSWAN_CONF="$(peer_dir "$n")/strongswan.conf" SWANCTL_DIR="$sd" \
	    swanctl "$c" --uri "$(sw_uri "$n")" "$@"
}

ls_whack() {
	local n=$1
	shift
	"$LS_EXEC/whack" --ctlsocket "$(peer_dir "$n")/run/pluto.ctl" "$@"
}

# _sw_strongswan_conf NAME: charon's own configuration.
_sw_strongswan_conf() {
	local d
	d=$(peer_dir "$1")
	# charon refuses Aggressive Mode with a PSK unless told it knows
	# the risk (the hash it sends can be attacked offline)
	local aggr=""
	[ "$(p_aggr)" = yes ] &&
	    aggr="i_dont_care_about_security_and_use_aggressive_mode_psk = yes"
	# with DPD: three sends 1, 2 and 4 s apart, then dead
	local rt=""
	[ -n "${P_DPD:-}" ] && rt="retransmit_tries = 2
	retransmit_timeout = 1.0
	retransmit_base = 2.0"
	cat > "$d/strongswan.conf" <<CONF
charon {
	$aggr
	$rt
	load_modular = no
	load = $(echo $SW_PLUGINS)
	plugins {
		vici { socket = $(sw_uri "$1") }
	}
	filelog {
		$1 {
			path = $OUT/$1.log
			time_format = %H:%M:%S
			ike_name = yes
			append = no
			flush_line = yes
			default = 1
			ike = 2
			enc = 1
			cfg = 2
			knl = 2
			net = 1
		}
	}
}
swanctl {
	load = pem pkcs1 pkcs8 x509 pubkey openssl random
}
CONF
}

# peer_conf_sw NAME: connection "gw", child "net" (P_* variables).
peer_conf_sw() {
	local d mode=tunnel lts=$P_MY_TS rts=$P_PEER_TS
	d=$(peer_dir "$1")
	mkdir -p "$d/run"
	_sw_strongswan_conf "$1"
	[ "${P_AUTH:-psk}" = psk ] || _sw_creds "$1"
	if [ -z "$P_MY_TS" ]; then
		mode=transport lts=dynamic rts=dynamic
	fi
	cat > "$d/swanctl.conf" <<CONF
connections {
	gw {
		version = $(p_version)
		aggressive = $(p_aggr)
		local_addrs = $P_ME
		remote_addrs = $P_PEER
		proposals = $P_IKE_SW
		dpd_delay = ${P_DPD:-0}s
$(_sw_auth)
		children {
			net {
				mode = $mode
				local_ts = $lts
				remote_ts = $rts
				esp_proposals = $P_ESP_SW
				dpd_action = clear
			}
		}
	}
}
$(_sw_secrets)
CONF
}

# _sw_auth: the local and remote sections of connection gw.
_sw_auth() {
	if [ "${P_AUTH:-psk}" = psk ]; then
		cat <<CONF
		local { auth = psk
			id = ${P_MY_ID:-$P_ME} }
		remote { auth = psk
			id = ${P_PEER_ID:-$P_PEER} }
CONF
		return
	fi
	cat <<CONF
		local { auth = pubkey
			certs = $P_CERT
			id = "$P_MY_ID" }
		remote { auth = pubkey
			cacerts = $P_CA
			id = "$P_PEER_ID" }
CONF
}

# _sw_secrets: the PSK, or with certificates none (the private key is
# NAME/private/gw.pem, _sw_creds).
_sw_secrets() {
	[ "${P_AUTH:-psk}" = psk ] || return 0
	cat <<CONF
secrets {
	ike-gw {
		id-1 = ${P_MY_ID:-$P_ME}
		id-2 = ${P_PEER_ID:-$P_PEER}
		secret = "$P_PSK"
	}
}
CONF
}

# _sw_creds NAME: the private key where swanctl --load-all finds it.
_sw_creds() {
	local d
	d=$(peer_dir "$1")
	mkdir -p "$d/private" "$d/x509" "$d/x509ca"
	install -m 0600 "$P_KEY" "$d/private/gw.pem"
}

# peer_conf_ls NAME: connection "gw" (P_* variables).
peer_conf_ls() {
	local d sub=""
	d=$(peer_dir "$1")
	mkdir -p "$d/nss" "$d/run" "$d/ipsec.d"
	certutil -N -d "sql:$d/nss" --empty-password > "$OUT/$1.certutil.txt" 2>&1 ||
	    fail "certutil -N for $1: $(cat "$OUT/$1.certutil.txt")"
	if [ -n "$P_MY_TS" ]; then
		sub="	leftsubnet=$P_MY_TS
	rightsubnet=$P_PEER_TS
	type=tunnel"
	else
		sub="	type=transport"
	fi
	local v2=yes v1pol="" v1="" dpd=""
	[ -n "${P_DPD:-}" ] && dpd="	dpddelay=$P_DPD
	dpdtimeout=$((P_DPD * 2))
	dpdaction=clear
	retransmit-interval=1000
	retransmit-timeout=$((P_DPD * 2))s"
	if [ "$(p_version)" = 1 ]; then
		# libreswan 4.10 drops every IKEv1 packet by default
		v2=no v1pol="	ikev1-policy=accept"
		v1="	aggressive=$(p_aggr)
	pfs=${P_PFS:-no}"
	fi
	cat > "$d/ipsec.conf" <<CONF
config setup
	dnssec-enable=no
	protostack=xfrm
	uniqueids=yes
$v1pol
conn gw
$(_ls_auth)
	ikev2=$v2
$v1
$dpd
	ike=$P_IKE_LS
	esp=$P_ESP_LS
	left=$P_ME
	right=$P_PEER
$(_ls_ids)
$sub
	leftupdown=/usr/libexec/ipsec/_updown
	auto=add
CONF
	if [ "${P_AUTH:-psk}" = psk ]; then
		printf '%s %s : PSK "%s"\n' "${P_MY_ID:-$P_ME}" \
		    "${P_PEER_ID:-$P_PEER}" "$P_PSK" > "$d/ipsec.secrets"
	else
		: > "$d/ipsec.secrets"	# the key is in the NSS database
		_ls_creds "$1"
	fi
	chmod 600 "$d/ipsec.secrets"
}

# _ls_auth, _ls_ids: the authentication lines of conn gw (with
# certificates: the method, our certificate by its NSS nickname, the
# subject DNs quoted).
_ls_auth() {
	case ${P_AUTH:-psk} in
	psk) printf '\tauthby=secret\n' ;;
	rsa) printf '\tauthby=rsasig\n\tleftcert=gw\n' ;;
	ecdsa) printf '\tauthby=ecdsa\n\tleftcert=gw\n' ;;
	esac
}

_ls_ids() {
	if [ "${P_AUTH:-psk}" = psk ]; then
		printf '\tleftid=%s\n\trightid=%s\n' "${P_MY_ID:-$P_ME}" \
		    "${P_PEER_ID:-$P_PEER}"
	else
		printf '\tleftid="%s"\n\trightid="%s"\n' "$P_MY_ID" "$P_PEER_ID"
	fi
}

# _ls_creds NAME: the CA (trusted for peers' certificates) and our
# certificate with its key (PKCS#12, nickname gw) into the NSS database.
_ls_creds() {
	local d log
	d=$(peer_dir "$1") log=$OUT/$1.certutil.txt
	certutil -A -d "sql:$d/nss" -n ca -t CT,, -i "$P_CA" >> "$log" 2>&1 ||
	    fail "certutil -A (CA) for $1: $(cat "$log")"
	openssl pkcs12 -export -in "$P_CERT" -inkey "$P_KEY" -name gw \
	    -passout pass:interop -out "$d/gw.p12" >> "$log" 2>&1 ||
	    fail "openssl pkcs12 for $1: $(cat "$log")"
	pk12util -i "$d/gw.p12" -d "sql:$d/nss" -W interop >> "$log" 2>&1 ||
	    fail "pk12util for $1: $(cat "$log")"
	rm -f "$d/gw.p12"
}

# peer_start sw|ls NAME NS: the daemon in NS, its configuration loaded.
peer_start() {
	case $1 in
	sw) _sw_start "$2" "$3" ;;
	ls) _ls_start "$2" "$3" ;;
	*) fail "peer_start: unknown peer $1" ;;
	esac
}

# charon's pid file is compiled in (/run/charon.pid): each instance gets
# its own /run by a bind mount in the mount namespace of ip netns exec.
_sw_start() {
	local n=$1 ns=$2 d
	d=$(peer_dir "$n")
	ip netns exec "$ns" env STRONGSWAN_CONF="$d/strongswan.conf" \
	    /bin/sh -c 'mount --bind "$1/run" /run && exec "$2"' sh "$d" \
	    "$CHARON" > "$OUT/$n.stdout" 2>&1 &
	PEER_PID[$n]=$!
	wait_until 60 sw "$n" --stats ||
	    fail "charon $n did not come up (see $OUT/$n.log, $n.stdout)"
	sw "$n" --load-all --noprompt --file "$d/swanctl.conf" \
	    > "$OUT/$n.load.txt" 2>&1 ||
	    fail "swanctl --load-all $n: $(cat "$OUT/$n.load.txt")"
}

# pluto has /usr/libexec/ipsec compiled in (addconn, _updown): the
# unpacked directory is bind-mounted there, in pluto's mount namespace.
_ls_start() {
	local n=$1 ns=$2 d
	d=$(peer_dir "$n")
	mkdir -p /usr/libexec/ipsec	# the guest's RAM overlay only
	ip netns exec "$ns" /bin/sh -c '
		mount --bind "$1" /usr/libexec/ipsec || exit 1
		exec /usr/libexec/ipsec/pluto --nofork --config "$2/ipsec.conf" \
		    --secretsfile "$2/ipsec.secrets" --ipsecdir "$2/ipsec.d" \
		    --nssdir "$2/nss" --rundir "$2/run" --dumpdir "$2/run" \
		    --logfile "$3" --log-no-append' \
	    sh "$LS_EXEC" "$d" "$OUT/$n.log" > "$OUT/$n.stdout" 2>&1 &
	PEER_PID[$n]=$!
	wait_until 60 test -S "$d/run/pluto.ctl" ||
	    fail "pluto $n did not come up (see $OUT/$n.log)"
	wait_until 30 ls_whack "$n" --status ||
	    fail "pluto $n does not answer whack"
	# pluto's own addconn --autoall runs in the background: load the
	# connection explicitly before anyone initiates.
	"$LS_EXEC/addconn" --config "$d/ipsec.conf" \
	    --ctlsocket "$d/run/pluto.ctl" gw > "$OUT/$n.addconn.txt" 2>&1 ||
	    fail "addconn gw in $n: $(cat "$OUT/$n.addconn.txt")"
}

# peer_stop KIND NAME: stops the daemon and waits for it.
peer_stop() {
	local p=${PEER_PID[$2]:-}
	[ -n "$p" ] || return 0
	# a peer that already exited is no error here
	[ "$1" = ls ] && ls_whack "$2" --shutdown > /dev/null 2>&1
	kill "$p" 2> /dev/null
	wait "$p" 2> /dev/null
	unset "PEER_PID[$2]"
}

# peer_initiate KIND NAME: the peer brings the tunnel up (IKE_SA_INIT,
# IKE_AUTH with the Child SA); 0 once it says so.
peer_initiate() {
	case $1 in
	sw) sw "$2" --initiate --child net --timeout 60 ;;
	ls) timeout 60 "$LS_EXEC/whack" \
	    --ctlsocket "$(peer_dir "$2")/run/pluto.ctl" --name gw --initiate ;;
	esac
}

# peer_status KIND NAME FILE: what the peer reports about its SAs.
peer_status() {
	case $1 in
	sw) sw "$2" --list-sas > "$3" 2>&1 ;;
	ls) { ls_whack "$2" --status; echo "---- trafficstatus"
	    ls_whack "$2" --trafficstatus; } > "$3" 2>&1 ;;
	esac
}

# peer_established KIND NAME: the IKE SA (IKEv1: ISAKMP SA) is
# established and the Child SA (IPsec SA) installed, by the peer's own
# account.
peer_established() {
	local f
	f=$(mktemp "$INTEROP_WORK/status.XXXXXX")
	peer_status "$1" "$2" "$f"
	case $1:$(p_version) in
	sw:*) grep -q ": #[0-9]*, ESTABLISHED, IKEv$(p_version)" "$f" &&
	    grep -q 'net: #[0-9]*, reqid [0-9]*, INSTALLED' "$f" ;;
	ls:2) grep -q 'STATE_V2_ESTABLISHED_IKE_SA' "$f" &&
	    grep -q 'STATE_V2_ESTABLISHED_CHILD_SA' "$f" ;;
	ls:1) grep -Eq 'STATE_(MAIN_I4|MAIN_R3|AGGR_I2|AGGR_R2)' "$f" &&
	    grep -Eq 'STATE_QUICK_(I2|R2)' "$f" ;;
	esac
	local rc=$?
	rm -f "$f"
	return $rc
}

# peer_version sw|ls: the version of the package the peer runs.
peer_version() {
	case $1 in
	sw) dpkg-query -W -f='${Version}' strongswan-charon ;;
	ls) cat "${IKE_VM_CACHE:-/var/cache/ike-vm}/libreswan/.version" ;;
	esac
}

# peer_has KIND NAME ike|child: the peer lists an established IKE SA
# (connection gw) or an installed Child SA (child net), IKEv2.
peer_has() {
	local f rc
	f=$(mktemp "$INTEROP_WORK/status.XXXXXX")
	peer_status "$1" "$2" "$f"
	case $1:$3 in
	sw:ike) grep -q '^gw: #[0-9]*, ESTABLISHED' "$f" ;;
	sw:child) grep -q 'net: #[0-9]*, reqid [0-9]*, INSTALLED' "$f" ;;
	ls:ike) grep -q 'STATE_V2_ESTABLISHED_IKE_SA' "$f" ;;
	ls:child) grep -q 'STATE_V2_ESTABLISHED_CHILD_SA' "$f" ;;
	esac
	rc=$?
	rm -f "$f"
	return $rc
}

# _ls_state NAME IKE|CHILD: the number of pluto's newest established
# IKEv2 state of that kind.
_ls_state() {
	ls_whack "$1" --status |
	    sed -n "s/^000 #\([0-9]*\): \"gw\".* STATE_V2_ESTABLISHED_$2_SA.*/\1/p" |
	    tail -n 1
}

# peer_delete KIND NAME ike|child: the peer deletes its IKE SA (and with
# it the Child SA) or only the Child SA, sending a Delete.
peer_delete() {
	local st
	case $1:$3 in
	sw:ike) sw "$2" --terminate --ike gw --timeout 30 ;;
	sw:child) sw "$2" --terminate --child net --timeout 30 ;;
	ls:*)
		st=$(_ls_state "$2" "$(echo "$3" | tr a-z A-Z)")
		[ -n "$st" ] || return 1
		ls_whack "$2" --deletestate "$st" ;;
	esac
}

# peer_rekey KIND NAME ike|child: the peer rekeys its IKE SA or its
# Child SA (CREATE_CHILD_SA); 0 once it has started.
peer_rekey() {
	case $1:$3 in
	sw:ike) sw "$2" --rekey --ike gw ;;
	sw:child) sw "$2" --rekey --child net ;;
	ls:ike) ls_whack "$2" --name gw --rekey-ike ;;
	ls:child) ls_whack "$2" --name gw --rekey-ipsec ;;
	esac
}

# peer_kill KIND NAME: the peer dies at once (SIGKILL): no Delete, its
# kernel state stays.
peer_kill() {
	local p=${PEER_PID[$2]:-}
	[ -n "$p" ] || return 1
	# ip netns exec execs sh, which execs the daemon: $p is the daemon
	kill -9 "$p" && wait "$p" 2> /dev/null
	unset "PEER_PID[$2]"
	return 0
}

peer_name() {
	case $1 in
	sw) echo strongSwan ;;
	ls) echo libreswan ;;
	esac
}
