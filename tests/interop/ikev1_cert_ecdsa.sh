#!/bin/bash
# Interoperability: IKEv1 Main Mode with ECDSA P-256 certificates (RFC
# 4754, method 9), our isakmpd (left) against the peer given as argument
# (right), first our daemon initiating, then the peer.  See
# lib/case_cert.sh and lib/scenario.sh for what passes.
# Usage, inside the VM: ikev1_cert_ecdsa.sh strongswan
#
# strongSwan only.  libreswan 4.10 does not implement ECDSA in IKEv1:
# its ipsec.conf(5), authby=: "For IKEv1, SHA2 based signatures are not
# defined and ECDSA is not implemented".
# IKEv1 ECDSA signs HASH_I / HASH_R itself as the digest (RFC 2409
# s. 5.1, as for DSS), r | s: what strongSwan does too (its IKEv1
# authenticator's ECDSA scheme takes the hash as is); until 160cb38 we
# hashed it again with SHA-256 and each side refused the other's
# signature.
. "$(dirname "$(readlink -f "$0")")/lib/scenario.sh"
interop_main "${1:-}" cert_v1_ecdsa
