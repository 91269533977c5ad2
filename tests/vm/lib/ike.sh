# lib/ike.sh: isakmpd gateways in the namespaces of lib/netns.sh (bash,
# sourced after lib/checks.sh).  Each gateway has its own database,
# configuration and control socket under /tmp/ike-gw-NS (in the guest's
# RAM: LMDB cannot map files on the 9p share) and its log in
# $OUT/isakmpd-NS.log, and runs
# `isakmpd -d -K linux` (IKE_GW_BACKEND overrides the backend).
#
#   ike_gw_start NS [CONF_LINE...]   start isakmpd in NS
#   ike_gw_stop NS [SIGNAL]          stop it (default TERM) and wait
#   ike_in NS CMD...                 CMD in NS with the gateway's paths
#   ike_load NS FILE [-s]            ikedb -p[s] FILE
#   ike_wait NS PHASE STATE [SECS]   until `ike cmd=list phase=PHASE`
#                                    shows an entry in STATE
#   ike_up ARGS...                   `ike cmd=activate ARGS` on the left,
#                                    then phase 2 and 1 Active on both
#   ike_dump NS                      listing and log, for a failure
#
# The programs come from $IKE_BIN_DIR.

declare -A IKE_GW_PID
# The output directory outlives a test run (ctest reuses it): logs of an
# earlier run must not be read as this one's.
rm -f "$OUT"/isakmpd-*.log

_ike_dir() { echo "/tmp/ike-gw-$1"; }
_ike_log() { echo "$OUT/isakmpd-$1.log"; }

ike_in() {
	local ns=$1 d
	d=$(_ike_dir "$ns")
	shift
	ip netns exec "$ns" env IKE_DB="$d/db" IKE_SOCKET="$d/isakmpd.sock" \
	    IKE_CONF="$d/isakmpd.conf" "$@"
}

ike_load() {
	ike_in "$1" "$IKE_BIN_DIR/ikedb" "-p${3#-}" "$2"
}

# ike_gw_start NS [CONF_LINE...]: the configuration gets log_level=
# information and the given lines.
ike_gw_start() {
	local ns=$1 d l
	d=$(_ike_dir "$ns")
	shift
	mkdir -p "$d"
	printf 'log_level=information\n' > "$d/isakmpd.conf"
	for l in "$@"; do printf '%s\n' "$l" >> "$d/isakmpd.conf"; done
	# not through ike_in: $! must be isakmpd itself (ip and env exec it)
	ip netns exec "$ns" env IKE_DB="$d/db" IKE_SOCKET="$d/isakmpd.sock" \
	    IKE_CONF="$d/isakmpd.conf" "$IKE_BIN_DIR/isakmpd" -d \
	    -K "${IKE_GW_BACKEND:-linux}" >> "$(_ike_log "$ns")" 2>&1 &
	IKE_GW_PID[$ns]=$!
	wait_until 20 test -S "$d/isakmpd.sock" || {
		cat "$(_ike_log "$ns")"
		fail "isakmpd in $ns did not open its control socket"
	}
}

# A daemon stopped with TERM must exit 0; none may leave a sanitizer
# report (ASan, LSan, UBSan) in its log.
ike_gw_stop() {
	local ns=$1 sig=${2:-TERM} p=${IKE_GW_PID[$1]:-} rc log
	[ -n "$p" ] || return 0
	log=$(_ike_log "$ns")
	kill -s "$sig" "$p" 2> /dev/null
	wait "$p" 2> /dev/null
	rc=$?
	unset "IKE_GW_PID[$ns]"
	if grep -q "AddressSanitizer\|LeakSanitizer\|runtime error:" "$log"; then
		grep -A20 "Sanitizer\|runtime error:" "$log" | head -40
		fail "isakmpd in $ns: sanitizer report in its log"
	fi
	[ "$sig" != TERM ] || [ "$rc" = 0 ] ||
	    fail "isakmpd in $ns exited $rc on SIGTERM"
}

# ike_wait NS PHASE STATE [SECS]: a line of `ike cmd=list phase=PHASE`
# (phase 2 lines start with "2") shows STATE.
ike_wait() {
	wait_until "${4:-30}" _ike_has "$1" "$2" "$3"
}

_ike_has() {
	ike_in "$1" "$IKE_BIN_DIR/ike" cmd=list phase="$2" |
	    grep -q "^$2 .* $3 "
}

ike_dump() {
	local ns
	for ns in "$@"; do
		echo "---- [$ns] ike cmd=list verbose"
		ike_in "$ns" "$IKE_BIN_DIR/ike" cmd=list verbose
		echo "---- [$ns] isakmpd log (last 60 lines)"
		tail -60 "$(_ike_log "$ns")"
	done
}

ike_up() {
	local ns
	ike_in left "$IKE_BIN_DIR/ike" cmd=activate "$@" ||
	    { ike_dump left right; fail "activate $*"; }
	for ns in left right; do
		ike_wait "$ns" 2 Active 30 ||
		    { ike_dump left right; fail "$ns: phase 2 not Active"; }
		ike_wait "$ns" 1 Active 5 ||
		    { ike_dump left right; fail "$ns: phase 1 not Active"; }
	done
	ike_in left "$IKE_BIN_DIR/ike" cmd=list
	ike_in right "$IKE_BIN_DIR/ike" cmd=list
}
