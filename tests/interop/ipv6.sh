#!/bin/bash
# Interoperability: IKEv2 PSK over IPv6, tunnel, AES-GCM-256, Curve25519 (31),
# our isakmpd (left) against the peer given as argument (right), first
# our daemon initiating, then the peer.  See lib/scenario.sh for what
# passes.  Usage, inside the VM: ipv6.sh strongswan|libreswan
. "$(dirname "$(readlink -f "$0")")/lib/scenario.sh"
interop_main "${1:-}" ipv6
