#!/bin/bash
# Real-kernel test of IKEv1 Main Mode with RSA-2048 certificates:
# test_ike_cert.sh with its "v1" argument (see there for what it proves).
exec bash "$IKE_VM_DIR/test_ike_cert.sh" v1
