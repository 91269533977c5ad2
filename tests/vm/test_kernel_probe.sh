#!/bin/bash
# kernel_ipsec_probe (lib/checks.sh), the check isakmpd's Linux backend
# mirrors for its "kernel lacks X" error.
#
#   test_kernel_probe.sh host   on the build machine's kernel: the probe's
#       verdict matches two oracles, the kernel config (/proc/config.gz or
#       /boot/config-*: an option that "is not set" must be named, one that
#       is =y must not be) and the ESP test's own SA installation
#       (xfrm_manual_tunnel) in a throw-away namespace: if that fails the
#       probe must fail and name the missing feature.
#   test_kernel_probe.sh guest  in the VM (vm-run): a modprobe wrapper
#       refuses chosen modules, so each feature goes missing in turn:
#       xfrm_user, then ESP and GCM, then ESP alone; the probe must name
#       exactly those, and pass once nothing is refused.
. "$(dirname "$(readlink -f "$0")")/lib/checks.sh"
LIB=$(dirname "$(readlink -f "$0")")/lib/checks.sh
FEATURES="CONFIG_XFRM_USER CONFIG_INET_ESP CONFIG_INET6_ESP CONFIG_CRYPTO_GCM"

# names OUTPUT OPT...: every OPT is reported missing in OUTPUT.
names() {
	local out=$1 o
	shift
	for o in "$@"; do
		grep -q "^missing $o " <<< "$out" || fail "probe does not name $o"
	done
}

# names_not OUTPUT OPT...: no OPT is reported missing in OUTPUT.
names_not() {
	local out=$1 o
	shift
	for o in "$@"; do
		! grep -q "^missing $o " <<< "$out" || fail "probe names $o"
	done
}

# daemon_agrees PROBE_RC PROBE_OUTPUT: isakmpd -K linux, started in a
# namespace of its own, says at start what the probe says of ESP
# (plat_kernel_check()): one line naming CONFIG_INET_ESP when the probe
# names it, no "lacks" line when the probe passes.
daemon_agrees() {
	local rc=$1 out=$2 d said
	d=$(mktemp -d "${TMPDIR:-/tmp}/ike-probe.XXXXXX")
	printf 'log_level=errors\n' > "$d/conf"
	unshare --net timeout -s TERM 3 "$IKE_BIN_DIR/isakmpd" -d -K linux \
	    -D "$d/db" -S "$d/s.sock" -f "$d/conf" > "$d/out" 2>&1
	said=$(grep -v '^$' "$d/out")
	rm -rf "$d"
	info "isakmpd at start: ${said:-nothing}"
	if grep -q "^missing CONFIG_INET_ESP " <<< "$out"; then
		grep -q "the kernel lacks ESP support (CONFIG_INET_ESP / esp4)" \
		    <<< "$said" || fail "isakmpd does not name the missing ESP"
	elif [ "$rc" = 0 ]; then
		! grep -q "lacks" <<< "$said" ||
		    fail "isakmpd reports a missing feature the probe does not"
	fi
}

kernel_config() {
	if [ -r /proc/config.gz ]; then
		zcat /proc/config.gz
	elif [ -r "/boot/config-$(uname -r)" ]; then
		cat "/boot/config-$(uname -r)"
	fi
}

host() {
	local out rc cfg o err
	step "host kernel $(uname -r): probe"
	out=$(kernel_ipsec_probe)
	rc=$?
	echo "$out"
	[ $rc -ne 2 ] || fail "cannot probe (root needed)"
	daemon_agrees "$rc" "$out"
	cfg=$(kernel_config)
	if [ -z "$cfg" ]; then
		info "no kernel config to compare with"
	elif grep -q "^missing CONFIG_XFRM_USER " <<< "$out"; then
		grep -qx "CONFIG_XFRM_USER=y" <<< "$cfg" &&
		    fail "CONFIG_XFRM_USER=y but reported missing"
	else
		for o in $FEATURES; do
			if grep -qx "# $o is not set" <<< "$cfg"; then
				names "$out" "$o"
				info "config: $o is not set; reported"
			elif grep -qx "$o=y" <<< "$cfg"; then
				names_not "$out" "$o"
				info "config: $o=y; not reported"
			fi
		done
	fi
	step "the ESP test's SAs on this kernel"
	if err=$(unshare --net bash -c '. "$1"; xfrm_manual_tunnel - left \
	    192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24' _ "$LIB" 2>&1); then
		[ $rc = 0 ] || fail "SAs install, but the probe says: $out"
		info "installed; the probe agrees"
	else
		info "refused: $err"
		[ $rc = 1 ] || fail "SAs refused, but the probe passed"
		grep -q '^missing CONFIG_' <<< "$out" ||
		    fail "the probe names no missing feature"
		info "the ESP test would fail here; missing:" \
		    "$(grep -o '^missing CONFIG_[A-Z0-9_]*' <<< "$out" |
		    cut -d' ' -f2 | tr '\n' ' ')"
	fi
	pass "kernel_ipsec_probe on the host"
}

# deny GLOB...: the kernel's module requests matching a GLOB now fail.
W=/tmp/ike-vm-kprobe
deny() {
	printf '%s\n' "$@" > $W/deny
	: > $W/requests
}

# probe_expect RC OPT...: the probe returns RC and names exactly the OPTs.
probe_expect() {
	local want=$1 out rc o
	shift
	out=$(kernel_ipsec_probe)
	rc=$?
	echo "$out" | sed 's/^/    /'
	[ $rc = "$want" ] || fail "probe returned $rc, want $want"
	daemon_agrees "$rc" "$out"
	names "$out" "$@"
	for o in $FEATURES; do
		[[ " $* " == *" $o "* ]] || names_not "$out" "$o"
	done
}

guest() {
	vm_require_guest
	local m
	for m in xfrm_user esp4 esp6 gcm; do
		! grep -q "^$m " /proc/modules ||
		    fail "precondition: $m is loaded already"
	done
	mkdir -p $W
	cat > $W/modprobe <<-EOF
	#!/bin/bash
	echo "\$*" >> $W/requests
	for a in "\$@"; do
		while read -r p; do
			[[ \$a == \$p ]] && exit 1
		done < $W/deny
	done
	exec /sbin/modprobe "\$@"
	EOF
	chmod 755 $W/modprobe
	deny
	echo $W/modprobe > /proc/sys/kernel/modprobe

	step "xfrm_user refused"
	deny 'net-pf-16-proto-6*'
	probe_expect 1 CONFIG_XFRM_USER
	grep -q 'net-pf-16-proto-6' $W/requests ||
	    fail "the kernel did not ask for xfrm_user"

	step "esp4, esp6 and gcm refused"
	deny 'xfrm-type-*-50' 'crypto-gcm*' 'crypto-rfc4106*'
	probe_expect 1 CONFIG_INET_ESP CONFIG_INET6_ESP CONFIG_CRYPTO_GCM
	grep -q 'xfrm-type-2-50' $W/requests ||
	    fail "the kernel did not ask for esp4"

	step "esp4 and esp6 refused"
	deny 'xfrm-type-*-50'
	probe_expect 1 CONFIG_INET_ESP CONFIG_INET6_ESP

	step "nothing refused"
	deny
	probe_expect 0
	echo /sbin/modprobe > /proc/sys/kernel/modprobe
	for m in xfrm_user esp4 esp6 gcm; do
		grep -q "^$m " /proc/modules || fail "$m was not loaded"
	done
	pass "kernel_ipsec_probe in the VM, kernel $(uname -r)"
}

case ${1:-} in
host) host ;;
guest) guest ;;
*) echo "usage: $0 host|guest" >&2; exit 2 ;;
esac
