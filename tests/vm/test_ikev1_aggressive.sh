#!/bin/bash
# Real-kernel test of an IKEv1 Aggressive Mode tunnel: test_ikev1_main.sh
# with its "aggressive" argument (see there for what it proves).
exec bash "$IKE_VM_DIR/test_ikev1_main.sh" aggressive
