#!/bin/bash
# tests/interop/prepare.sh: what the interoperability tests need on the
# host (the VM of tests/vm/vm-run shares the host's root read-only, so
# the peers' programs must be installed here), idempotent:
#  - tests/vm/vm-run --prepare (QEMU, kernel, initramfs);
#  - strongSwan's charon and swanctl with the plugins the tests load;
#  - libreswan's runtime libraries, and libreswan itself extracted into
#    $IKE_VM_CACHE/libreswan: it Conflicts with strongswan-libcharon, so it
#    is never installed, only unpacked (dpkg -x) and run from there;
#  - the peers' versions, written to $IKE_VM_CACHE/interop-versions for
#    the report.
# Exit status: 0 ready, 125 something could not be installed (with a
# message naming it).  Needs root the first time only.
set -euo pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
CACHE=${IKE_VM_CACHE:-/var/cache/ike-vm}
SW_PKGS=(strongswan-charon strongswan-swanctl libstrongswan
    libstrongswan-standard-plugins libstrongswan-extra-plugins)
LS_DEPS=(dns-root-data libnss3-tools libnss3 libnspr4 libaudit1 libcap-ng0
    libcrypt1 libcurl3-nss libevent-core-2.1-7 libevent-pthreads-2.1-7
    libldap-2.5-0 libldns3 libpam0g libselinux1 libsystemd0 libunbound8)

die() { echo "interop prepare: error: $*" >&2; exit 125; }

installed() {
	dpkg-query -W -f='${Status}' "$1" 2> /dev/null |
	    grep -q 'install ok installed'
}

# apt_install PKG...: installs those that are missing.
apt_install() {
	local missing=() p
	for p in "$@"; do installed "$p" || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" = 0 ] || die "missing ${missing[*]}; run as root once"
	echo "interop prepare: installing ${missing[*]}" >&2
	apt-cache show "${missing[@]}" > /dev/null 2>&1 || apt-get update -q >&2 ||
	    die "apt-get update failed"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends "${missing[@]}" >&2 ||
	    die "apt-get install ${missing[*]} failed"
}

# libreswan_extract: the .deb unpacked into $CACHE/libreswan (stamp .ok).
libreswan_extract() {
	local d=$CACHE/libreswan deb
	[ -f "$d/.ok" ] && return 0
	[ "$(id -u)" = 0 ] || die "libreswan not extracted; run as root once"
	mkdir -p "$CACHE/debs"
	deb=$(ls "$CACHE"/debs/libreswan_*.deb 2> /dev/null | head -n 1 || true)
	if [ -z "$deb" ]; then
		chown _apt "$CACHE/debs" 2> /dev/null || true
		(cd "$CACHE/debs" && apt-get download -q libreswan >&2) ||
		    die "apt-get download libreswan failed"
		deb=$(ls "$CACHE"/debs/libreswan_*.deb | head -n 1)
	fi
	rm -rf "$d"
	mkdir -p "$d"
	dpkg -x "$deb" "$d" || die "dpkg -x $deb failed"
	[ -x "$d/usr/libexec/ipsec/pluto" ] || die "no pluto in $deb"
	if ldd "$d/usr/libexec/ipsec/pluto" | grep -q 'not found'; then
		ldd "$d/usr/libexec/ipsec/pluto" | grep 'not found' >&2
		die "pluto has unresolved libraries"
	fi
	dpkg-deb -f "$deb" Version > "$d/.version"
	touch "$d/.ok"
}

"$top/tests/vm/vm-run" --prepare || exit 125
apt_install "${SW_PKGS[@]}" "${LS_DEPS[@]}"
libreswan_extract
{
	echo "strongswan=$(dpkg-query -W -f='${Version}' strongswan-charon)"
	echo "libreswan=$(cat "$CACHE/libreswan/.version")"
} > "$CACHE/interop-versions.tmp"
mv "$CACHE/interop-versions.tmp" "$CACHE/interop-versions"
cat "$CACHE/interop-versions"
