#!/bin/bash
# Interoperability: IKEv2 PSK, tunnel, AES-GCM-256, Curve25519 (31), our
# isakmpd (left) behind a NAT, the peer given as argument (right) public;
# first our daemon initiating, then the peer (through a port forward of
# UDP 500/4500 on the NAT).  See lib/case_nat.sh and lib/scenario.sh for
# what passes.  Usage, inside the VM: natt.sh strongswan|libreswan
. "$(dirname "$(readlink -f "$0")")/lib/scenario.sh"
interop_main "${1:-}" natt
