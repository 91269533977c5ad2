#!/bin/bash
# Interoperability: IKEv2 with ECDSA P-256 certificates (X500DN identities),
# our isakmpd (left) against the peer given as argument (right), first
# our daemon initiating, then the peer.  See lib/case_cert.sh and
# lib/scenario.sh for what passes.  Usage, inside the VM: cert_ecdsa.sh PEER
. "$(dirname "$(readlink -f "$0")")/lib/scenario.sh"
interop_main "${1:-}" cert_ecdsa
