# lib/checks.sh: helpers and checks for the real-kernel tests (bash,
# sourced).  Most run inside the VM (see vm-run); kernel_ipsec_probe and the
# manual-SA helpers also run on a host.  Artefacts (captures, xfrm dumps) go
# to $IKE_VM_OUT, the directory vm-run shares with the host.
#
# Reporting:  step MSG, info MSG, fail MSG (exits 1 after a dump), pass MSG
# Waiting:    wait_until SECONDS CMD...
# Namespaces: in_ns NS CMD... ("-" = the current one)
# Kernel:     kernel_ipsec_probe
# SAs:        xfrm_manual_tunnel NS LOCAL REMOTE LOCAL_NET REMOTE_NET
# Traffic:    ping_ok, send_msg
# Captures:   capture_start, capture_stop, pcap_count, pcap_has
# Checks:     xfrm_esp_check, wire_check, wire_leaks, control_seen

OUT=${IKE_VM_OUT:-${TMPDIR:-/tmp}}

# ------------------------------------------------------------ reporting
_t0=$(cut -d' ' -f1 /proc/uptime)
_elapsed() {
	awk -v a="$_t0" -v b="$(cut -d' ' -f1 /proc/uptime)" \
	    'BEGIN { printf "%6.2f", b - a }'
}
step() { echo "[$(_elapsed)] == $*"; }
info() { echo "[$(_elapsed)]    $*"; }
pass() { echo "PASS: $*"; }

# fail MSG: prints MSG, the xfrm state and policies of the pair's gateways,
# and exits 1.
fail() {
	local ns
	echo "FAIL: $*"
	for ns in ${NETNS_PAIR_NAMESPACES:-}; do
		case $ns in left | right) ;; *) continue ;; esac
		echo "---- [$ns] ip -s xfrm state"
		ip -n "$ns" -s xfrm state
		echo "---- [$ns] ip xfrm policy"
		ip -n "$ns" xfrm policy
	done
	exit 1
}

# vm_require_guest: stops a guest-only script that was started on a host.
vm_require_guest() {
	[ -n "${IKE_VM_GUEST:-}" ] && return 0
	echo "$0: runs inside the VM: tests/vm/vm-run $0" >&2
	exit 2
}

# wait_until SECONDS CMD...: polls CMD every 0.2 s; 1 on timeout.
wait_until() {
	local end=$(($(date +%s) + $1))
	shift
	until "$@" > /dev/null 2>&1; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# in_ns NS CMD...: runs CMD in network namespace NS; "-" = the current one.
in_ns() {
	local ns=$1
	shift
	if [ "$ns" = - ]; then
		"$@"
	else
		ip netns exec "$ns" "$@"
	fi
}

# ------------------------------------------------------------ kernel probe
# kernel_ipsec_probe: can this kernel do what isakmpd needs?  Tries, in a
# throw-away network namespace, the XFRM netlink interface and an ESP
# tunnel SA for IPv4 and IPv6 with AES-GCM (rfc4106(gcm(aes))).  Prints one
# line per missing feature, "missing CONFIG_X (module m): what fails
# (kernel: message)", or one "kernel IPsec support: ..." line.
# Returns 0 if all is there, 1 if something is missing, 2 if it cannot
# probe (needs root and unshare).
kernel_ipsec_probe() {
	unshare --net true 2> /dev/null || {
		echo "kernel_ipsec_probe: cannot create a network namespace" \
		    "(needs root and unshare)"
		return 2
	}
	unshare --net bash -c "$(declare -f _kprobe_run _kprobe_sa \
	    _kprobe_esp); _kprobe_run"
}

# _kprobe_sa FAMILY ALG: adds one ESP tunnel state (ALG: gcm or cbc);
# prints the kernel's complaint on failure.
_kprobe_sa() {
	local src=192.0.2.1 dst=192.0.2.2 spi=0x100$1 alg
	[ "$1" = 4 ] || { src=2001:db8::1; dst=2001:db8::2; }
	[ "$2" = gcm ] || spi=0x200$1
	if [ "$2" = gcm ]; then
		alg=(aead 'rfc4106(gcm(aes))'
		    0x000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f00010203 128)
	else
		alg=(enc 'cbc(aes)' 0x000102030405060708090a0b0c0d0e0f
		    auth 'hmac(sha256)'
		    0x000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f)
	fi
	ip xfrm state add src $src dst $dst proto esp spi "$spi" \
	    mode tunnel "${alg[@]}" 2>&1 | tr '\n' ' '
	return "${PIPESTATUS[0]}"
}

# _kprobe_esp FAMILY CONFIG MODULE: 0 ok, 1 ESP missing, 2 GCM missing
# (ESP ok), 3 both missing; prints what is missing.
_kprobe_esp() {
	local f=$1 cfg=$2 mod=$3 err err2
	err=$(_kprobe_sa "$f" gcm) && return 0
	case $err in
	*"type not found"* | *"Protocol not supported"*)
		echo "missing $cfg ($mod): IPv$f ESP states are refused" \
		    "(kernel: ${err% })"
		return 1 ;;
	*"algorithm not found"* | *"Function not implemented"*) ;;
	*)
		echo "missing $cfg ($mod)?: IPv$f ESP state refused for an" \
		    "unknown reason (kernel: ${err% })"
		return 1 ;;
	esac
	# AES-GCM is missing; find out about ESP with AES-CBC/HMAC-SHA-256.
	err2=$(_kprobe_sa "$f" cbc) && return 2
	case $err2 in
	*"type not found"* | *"Protocol not supported"*)
		echo "missing $cfg ($mod): IPv$f ESP states are refused" \
		    "(kernel: ${err2% })"
		return 3 ;;
	esac
	echo "missing $cfg ($mod)?: IPv$f ESP unknown, no algorithm to" \
	    "probe with (kernel: ${err2% })"
	return 3
}

_kprobe_run() {
	local err rc missing=0 gcm=ok
	if ! err=$(ip xfrm state list 2>&1); then
		echo "missing CONFIG_XFRM_USER (xfrm_user): no XFRM netlink" \
		    "interface (ip xfrm: ${err//$'\n'/ })"
		return 1
	fi
	_kprobe_esp 4 CONFIG_INET_ESP esp4
	rc=$?
	[ $rc = 0 ] || [ $rc = 2 ] || missing=1
	[ $rc -lt 2 ] || gcm=missing
	_kprobe_esp 6 CONFIG_INET6_ESP esp6
	rc=$?
	[ $rc = 0 ] || [ $rc = 2 ] || missing=1
	[ $rc -lt 2 ] || gcm=missing
	if [ $gcm = missing ]; then
		echo "missing CONFIG_CRYPTO_GCM (gcm): the AEAD" \
		    "rfc4106(gcm(aes)) is unknown to the kernel"
		missing=1
	fi
	[ $missing = 0 ] || return 1
	echo "kernel IPsec support: xfrm_user, esp4, esp6, rfc4106(gcm(aes))"
}

# ------------------------------------------------------------ manual SAs
# Fixed test keys (AES-256 + 4-byte salt), one per direction.
XFRM_KEY_LR=0x4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c01020304
XFRM_KEY_RL=0x5252525252525252525252525252525252525252525252525252525252525252a1a2a3a4
XFRM_SPI_LR=0x00001001
XFRM_SPI_RL=0x00001002

# xfrm_manual_tunnel NS SIDE LEFT_IP RIGHT_IP LEFT_NET RIGHT_NET: installs
# in NS the ESP tunnel-mode SA pair (rfc4106(gcm(aes)), 128-bit ICV) between
# LEFT_IP and RIGHT_IP and the out/in/fwd policies of SIDE (left|right)
# for LEFT_NET <-> RIGHT_NET.  Prints the kernel's error on failure.
xfrm_manual_tunnel() {
	local ns=$1 side=$2 l=$3 r=$4 ln=$5 rn=$6 d
	local aead='rfc4106(gcm(aes))'
	in_ns "$ns" ip xfrm state add src "$l" dst "$r" proto esp \
	    spi $XFRM_SPI_LR reqid 1 mode tunnel \
	    aead "$aead" $XFRM_KEY_LR 128 || return 1
	in_ns "$ns" ip xfrm state add src "$r" dst "$l" proto esp \
	    spi $XFRM_SPI_RL reqid 2 mode tunnel \
	    aead "$aead" $XFRM_KEY_RL 128 || return 1
	if [ "$side" = right ]; then
		set -- "$r" "$l" "$rn" "$ln" 2 1
	else
		set -- "$l" "$r" "$ln" "$rn" 1 2
	fi
	in_ns "$ns" ip xfrm policy add src "$3" dst "$4" dir out \
	    tmpl src "$1" dst "$2" proto esp reqid "$5" mode tunnel || return 1
	for d in in fwd; do
		in_ns "$ns" ip xfrm policy add src "$4" dst "$3" dir $d \
		    tmpl src "$2" dst "$1" proto esp reqid "$6" mode tunnel ||
		    return 1
	done
}

# ------------------------------------------------------------ traffic
# ping_ok NS DST [COUNT]: busybox ping (no iputils needed).
ping_ok() {
	ip netns exec "$1" busybox ping -c "${3:-3}" -W 5 "$2" > /dev/null 2>&1
}

# The receiver: one TCP connection or one UDP datagram, printed to stdout;
# perl is in Debian's essential perl-base, IO::Socket included.
_RECV_PL='
use IO::Socket::INET;
my ($proto, $port) = @ARGV;
alarm 30;
my $s = IO::Socket::INET->new(LocalPort => $port, Proto => $proto,
    ReuseAddr => 1, ($proto eq "tcp" ? (Listen => 1) : ()))
    or die "cannot listen on $proto port $port: $!\n";
print STDERR "ready\n";
my $m;
if ($proto eq "tcp") {
	my $c = $s->accept or die "accept: $!\n";
	local $/; $m = <$c>;
} else {
	$s->recv($m, 65535) // die "recv: $!\n";
}
print $m;'

# send_msg SRC_NS DST_NS tcp|udp DST_IP PORT MSG: sends MSG (bash's
# /dev/tcp or /dev/udp, source address chosen by the routes) to a receiver
# in DST_NS; 0 if exactly MSG arrived.
send_msg() {
	local sns=$1 dns=$2 proto=$3 dip=$4 port=$5 msg=$6 f pid got
	f=$(mktemp "${TMPDIR:-/tmp}/ike-vm-recv.XXXXXX")
	ip netns exec "$dns" perl -e "$_RECV_PL" "$proto" "$port" \
	    > "$f" 2> "$f.err" &
	pid=$!
	if ! wait_until 30 grep -q ready "$f.err"; then
		cat "$f.err" >&2
		kill $pid 2> /dev/null
		rm -f "$f" "$f.err"
		return 1
	fi
	ip netns exec "$sns" bash -c 'printf "%s" "$1" > "/dev/$2/$3/$4"' \
	    _ "$msg" "$proto" "$dip" "$port"
	wait $pid
	got=$(cat "$f")
	rm -f "$f" "$f.err"
	[ "$got" = "$msg" ]
}

# ------------------------------------------------------------ captures
# capture_start NS IF NAME [tcpdump args]: writes $OUT/NAME.pcap.  On a
# gateway's transit interface use "-Q out": the kernel re-injects decrypted
# tunnel-mode packets on the interface they came in on, so an inbound
# capture shows plaintext although the wire carried ESP.
CAPTURE_PIDS=()
capture_start() {
	local ns=$1 ifc=$2 name=$3
	shift 3
	ip netns exec "$ns" tcpdump -Z root -n -U --immediate-mode -s 0 \
	    -i "$ifc" "$@" -w "$OUT/$name.pcap" 2> "$OUT/$name.tcpdump.txt" &
	CAPTURE_PIDS+=($!)
	wait_until 30 grep -q 'listening on' "$OUT/$name.tcpdump.txt" ||
	    fail "tcpdump $name did not start: $(cat "$OUT/$name.tcpdump.txt")"
}

# capture_stop: stops every capture (after 1 s for the last packets).
capture_stop() {
	local p
	sleep 1
	for p in "${CAPTURE_PIDS[@]}"; do
		kill -INT "$p" 2> /dev/null
	done
	for p in "${CAPTURE_PIDS[@]}"; do
		wait "$p" 2> /dev/null
	done
	CAPTURE_PIDS=()
}

# pcap_count NAME FILTER: packets in NAME.pcap that match FILTER.
pcap_count() {
	tcpdump -n -r "$OUT/$1.pcap" "$2" 2> /dev/null | wc -l
}

# pcap_has NAME STRING: STRING occurs anywhere in the raw capture.
pcap_has() {
	grep -a -q -F -e "$2" "$OUT/$1.pcap"
}

# ------------------------------------------------------------ checks
# xfrm_esp_check NS MIN [MODE]: NS has at least MIN ESP states, each with
# a byte counter > 0 (and in MODE, tunnel|transport, if given).  Prints
# one line per state; the dump is kept in $OUT/xfrm-state-NS.txt.
xfrm_esp_check() {
	local ns=$1 min=$2 mode=${3:-}
	ip -n "$ns" -s xfrm state > "$OUT/xfrm-state-$ns.txt" 2>&1 ||
	    return 1
	awk -v ns="$ns" -v min="$min" -v want="$mode" '
	/^src / { n++; src[n] = $2; dst[n] = $4 }
	/proto esp/ {
		esp[n] = 1
		for (i = 1; i <= NF; i++) {
			if ($i == "spi") spi[n] = $(i + 1)
			if ($i == "mode") md[n] = $(i + 1)
		}
	}
	/^\t(aead|enc|auth-trunc|auth) / { alg[n] = alg[n] " " $2 }
	/lifetime current:/ { cur = 1; next }
	cur { bytes[n] = $1 + 0; pk[n] = $2 + 0; cur = 0 }
	END {
		ok = 1
		for (i = 1; i <= n; i++) {
			if (!esp[i])
				continue
			cnt++
			printf "   [%s] ESP %s -> %s spi %s mode %s%s: " \
			    "%d bytes, %d packets\n", ns, src[i], dst[i],
			    spi[i], md[i], alg[i], bytes[i], pk[i]
			if (bytes[i] <= 0 || (want != "" && md[i] != want))
				ok = 0
		}
		if (cnt < min) {
			printf "   [%s] %d ESP states, want %d\n", ns, cnt, min
			ok = 0
		}
		exit !ok
	}' "$OUT/xfrm-state-$ns.txt"
}

# wire_check NAME MARKER: NAME.pcap holds ESP packets and not MARKER.
wire_check() {
	local n
	n=$(pcap_count "$1" esp)
	info "$1: $n ESP packets"
	[ "$n" -gt 0 ] || fail "$1: no ESP packet captured"
	! pcap_has "$1" "$2" || fail "$1: the marker $2 is in plaintext"
}

# wire_leaks NAME FILTER: no packet of NAME.pcap matches FILTER (e.g. the
# protected subnets, which must only appear inside ESP).
wire_leaks() {
	local n
	n=$(pcap_count "$1" "$2")
	[ "$n" -eq 0 ] || fail "$1: $n plaintext packets match '$2'"
}

# control_seen NAME MESSAGE: MESSAGE, sent outside every policy, is in
# NAME.pcap in plaintext: the capture would have shown a leak.
control_seen() {
	pcap_has "$1" "$2" ||
	    fail "$1: the unprotected control message is not in the capture"
	info "$1: control message seen in plaintext"
}
