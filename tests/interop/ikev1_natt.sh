#!/bin/bash
# Interoperability: IKEv1 Main Mode PSK, tunnel, AES-CBC-256/HMAC-SHA2-256,
# MODP-2048 (14), our isakmpd (left) behind a NAT, the peer given as
# argument (right) public; first our daemon initiating, then the peer
# (through a port forward of UDP 500/4500 on the NAT).  See
# lib/case_nat.sh and lib/scenario.sh for what passes.
# Usage, inside the VM: ikev1_natt.sh strongswan|libreswan
. "$(dirname "$(readlink -f "$0")")/lib/scenario.sh"
interop_main "${1:-}" ikev1_natt
