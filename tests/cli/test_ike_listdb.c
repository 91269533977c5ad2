/* `ike cmd=list db`, in process, on a real database written with
 * db_put(): concise columns, the phase=1/1+/2 orders, numlist
 * selection, verbose attributes, no key, empty and missing databases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/ike/args.h"
#include "cli/ike/exitcode.h"
#include "cli/ike/listdb.h"
#include "clifix.h"
#include "tests/lib/testutil.h"

#define HEADER	"Phase  Tun Id  Status      Local Id                        " \
		"Remote Id\n"
#define P1_HQ	"1      1       Dormant     192.0.2.1                       " \
		"198.51.100.7\n"
#define P1_BRANCH "1      2       Dormant     gw.example.com                " \
		"  admin@branch.example.org\n"
#define P1_V6	"1      3       Dormant     2001:db8::1                     " \
		"C=US, O=IBM, CN=peer\n"
#define P2_HQLAN "2      1       Dormant     10.1.0.0-10.1.0.255           " \
		"  10.2.0.0-10.2.0.255\n"
#define P2_WEB	"2      2       Dormant     192.0.2.1-192.0.2.1             " \
		"10.3.0.10-10.3.0.20\n"
#define P2_HOST	"2      3       Dormant     192.0.2.1-192.0.2.1             " \
		"offices\n"
#define P2_V6	"2      4       Dormant     2001:db8:1::-2001:db8:1:ffff:ffff:" \
		"ffff:ffff:ffff 2001:db8:2::5-2001:db8:2::5\n"

static char dir[256], dbdir[300], emptydir[300], dangdir[300];
static struct ike_args A;
static char *out, *err;

static int
setup(void **state)
{
	(void)state;
	if (tu_mkdtemp(dir, sizeof(dir), "listdb") != 0)
		return -1;
	snprintf(dbdir, sizeof(dbdir), "%s/db", dir);
	snprintf(emptydir, sizeof(emptydir), "%s/empty", dir);
	snprintf(dangdir, sizeof(dangdir), "%s/dangling", dir);
	if (clifix_make_db(dbdir) != 0 || clifix_make_empty_db(emptydir) != 0 ||
	    clifix_make_dangling_db(dangdir) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(out);
	free(err);
	return tu_rmrf(dir);
}

/* Parses "cmd=list db ..." and lists the database in d. */
static int
list(const char *d, const char *line)
{
	static char buf[256];
	char *argv[16], *p;
	int argc = 0, rc;
	size_t olen, elen;
	struct args_error e;
	FILE *fo, *fe;

	snprintf(buf, sizeof(buf), "%s", line);
	argv[argc++] = "ike";
	for (p = strtok(buf, " "); p != NULL && argc < 15; p = strtok(NULL, " "))
		argv[argc++] = p;
	argv[argc] = NULL;
	if (args_parse(argc, argv, &A, &e) != 0)
		fail_msg("'%s': %s", line, e.msg);
	free(out);
	free(err);
	assert_non_null(fo = open_memstream(&out, &olen));
	assert_non_null(fe = open_memstream(&err, &elen));
	rc = listdb_run(d, &A, fo, fe);
	fclose(fo);
	fclose(fe);
	return rc;
}

static void
concise_default_is_1plus(void **state)
{
	(void)state;
	assert_int_equal(list(dbdir, "cmd=list db"), IKE_EXIT_OK);
	tu_same_lines(out, HEADER P1_HQ P2_HQLAN P2_HOST P1_BRANCH P2_WEB
	    P1_V6 P2_V6);
	assert_string_equal(err, "");
	assert_int_equal(list(dbdir, "db cmd=list phase=1+"), IKE_EXIT_OK);
	tu_same_lines(out, HEADER P1_HQ P2_HQLAN P2_HOST P1_BRANCH P2_WEB
	    P1_V6 P2_V6);
}

static void
concise_phase1_only(void **state)
{
	(void)state;
	assert_int_equal(list(dbdir, "cmd=list db phase=1"), IKE_EXIT_OK);
	tu_same_lines(out, HEADER P1_HQ P1_BRANCH P1_V6);
}

static void
concise_phase2_after_its_phase1(void **state)
{
	(void)state;
	assert_int_equal(list(dbdir, "cmd=list db phase=2"), IKE_EXIT_OK);
	/* hq-host (3) is under hq again after branch: hq is repeated. */
	tu_same_lines(out, HEADER P1_HQ P2_HQLAN P1_BRANCH P2_WEB P1_HQ P2_HOST
	    P1_V6 P2_V6);
}

static void
numlist_selects_by_phase(void **state)
{
	(void)state;
	/* 1 and 1+: phase-1 numbers. */
	assert_int_equal(list(dbdir, "cmd=list db phase=1 numlist=2-3"),
	    IKE_EXIT_OK);
	tu_same_lines(out, HEADER P1_BRANCH P1_V6);
	assert_int_equal(list(dbdir, "cmd=list db numlist=1"), IKE_EXIT_OK);
	tu_same_lines(out, HEADER P1_HQ P2_HQLAN P2_HOST);
	assert_int_equal(list(dbdir, "cmd=list db numlist=3,1"), IKE_EXIT_OK);
	tu_same_lines(out, HEADER P1_HQ P2_HQLAN P2_HOST P1_V6 P2_V6);
	/* 2: phase-2 numbers, each with its phase 1. */
	assert_int_equal(list(dbdir, "cmd=list db phase=2 numlist=1,3"),
	    IKE_EXIT_OK);
	tu_same_lines(out, HEADER P1_HQ P2_HQLAN P2_HOST);
	assert_int_equal(list(dbdir, "cmd=list db phase=2 numlist=4,2"),
	    IKE_EXIT_OK);
	tu_same_lines(out, HEADER P1_BRANCH P2_WEB P1_V6 P2_V6);
}

static void
nothing_selected_prints_nothing(void **state)
{
	(void)state;
	assert_int_equal(list(dbdir, "cmd=list db numlist=4-100"),
	    IKE_EXIT_OK);
	assert_string_equal(out, "");
	assert_int_equal(list(dbdir, "cmd=list db phase=2 numlist=5"),
	    IKE_EXIT_OK);
	assert_string_equal(out, "");
	assert_int_equal(list(dbdir, "cmd=list db verbose numlist=9"),
	    IKE_EXIT_OK);
	assert_string_equal(out, "");
	assert_string_equal(err, "");
}

static void
empty_database_prints_nothing(void **state)
{
	(void)state;
	assert_int_equal(list(emptydir, "cmd=list db"), IKE_EXIT_OK);
	assert_string_equal(out, "");
	assert_string_equal(err, "");
	assert_int_equal(list(emptydir, "cmd=list db phase=2 verbose"),
	    IKE_EXIT_OK);
	assert_string_equal(out, "");
}

static void
missing_database_names_the_path(void **state)
{
	char missing[400], want[600];

	(void)state;
	snprintf(missing, sizeof(missing), "%s/nonexistent", dir);
	assert_int_equal(list(missing, "cmd=list db"), IKE_EXIT_SYSTEM);
	assert_string_equal(out, "");
	snprintf(want, sizeof(want), "ike: cannot open the IKE database: no "
	    "database in %s (load definitions with ikedb -p)\n", missing);
	assert_string_equal(err, want);
	/* A directory without database files is no database either. */
	assert_int_equal(list(dir, "cmd=list db"), IKE_EXIT_SYSTEM);
	assert_non_null(strstr(err, dir));
}

static const char verbose_hq[] =
    "Phase: 1\n"
    "Tun Id: 1\n"
    "Status: Dormant\n"
    "Local Id: 192.0.2.1\n"
    "Remote Id: 198.51.100.7\n"
    "Name: hq\n"
    "Local Id Type: IPV4_Address\n"
    "Remote Id Type: IPV4_Address\n"
    "Local Address: from the identity\n"
    "Remote Address: from the identity\n"
    "Autostart: Yes\n"
    "Preshared Key: configured (not shown)\n"
    "Protection: p1-v2\n"
    "IKE Version: 2\n"
    "Protection Role: Both\n"
    "Key Overlap: 10 minutes\n"
    "Default Phase 2 Protection: none\n"
    "Default Allowed Types: none\n"
    "Transforms: 2\n"
    "Transform 1 Encryption: AES-GCM-256\n"
    "Transform 1 Hash: SHA2-256\n"
    "Transform 1 PRF: follows the hash\n"
    "Transform 1 DH Group: 31\n"
    "Transform 1 Authentication: Preshared_Key\n"
    "Transform 1 Key Lifetime: 480 minutes\n"
    "Transform 1 Key Lifesize: none\n"
    "Transform 2 Encryption: AES-CBC-256\n"
    "Transform 2 Hash: SHA2-512\n"
    "Transform 2 PRF: PRF-SHA2-512\n"
    "Transform 2 DH Group: 14\n"
    "Transform 2 Authentication: RSA_Signature\n"
    "Transform 2 Key Lifetime: 240 minutes\n"
    "Transform 2 Key Lifesize: 1000 KB\n";

static const char verbose_branch[] =
    "Phase: 1\n"
    "Tun Id: 2\n"
    "Status: Dormant\n"
    "Local Id: gw.example.com\n"
    "Remote Id: admin@branch.example.org\n"
    "Name: branch\n"
    "Local Id Type: FQDN\n"
    "Remote Id Type: User_FQDN\n"
    "Local Address: 192.0.2.1\n"
    "Remote Address: 203.0.113.9\n"
    "Autostart: No\n"
    "Preshared Key: configured (not shown)\n"
    "Protection: p1-v1\n"
    "IKE Version: 1\n"
    "Protection Role: Initiator\n"
    "Exchange Mode: Aggressive\n"
    "Key Overlap: 15 minutes\n"
    "Default Phase 2 Protection: _defIPSprot_dhcp\n"
    "Default Allowed Types: Local_IPV4_Address Remote_IPV4_Subnet\n"
    "Transforms: 1\n"
    "Transform 1 Encryption: 3DES-CBC\n"
    "Transform 1 Hash: SHA\n"
    "Transform 1 DH Group: 2\n"
    "Transform 1 Authentication: Preshared_Key\n"
    "Transform 1 Key Lifetime: 60 minutes\n"
    "Transform 1 Key Lifesize: none\n";

static const char verbose_web[] =
    "Phase: 2\n"
    "Tun Id: 2\n"
    "Status: Dormant\n"
    "Local Id: 192.0.2.1-192.0.2.1\n"
    "Remote Id: 10.3.0.10-10.3.0.20\n"
    "Name: branch-web\n"
    "Phase 1 Tunnel: branch (Tun Id 2)\n"
    "Local Id Type: IPV4_Address\n"
    "Local Id Value: 192.0.2.1\n"
    "Local Protocol: tcp\n"
    "Local Port: 443\n"
    "Remote Id Type: IPV4_Address_Range\n"
    "Remote Id Value: 10.3.0.10-10.3.0.20\n"
    "Remote Protocol: tcp\n"
    "Remote Port: 1000-2000\n"
    "Autostart: Yes\n"
    "On Demand: Yes\n"
    "Protection: p2-pfs\n"
    "Protection Role: Initiator\n"
    "Initiator DH Group: 14\n"
    "Responder DH Group: NO_PFS\n"
    "Key Overlap: 7 minutes\n"
    "Proposals: 1\n"
    "Proposal 1: esp-gcm\n"
    "Proposal 1 Transform 1 Protocol: ESP\n"
    "Proposal 1 Transform 1 Encryption: AES-GCM-256\n"
    "Proposal 1 Transform 1 Authentication: None\n"
    "Proposal 1 Transform 1 Mode: Tunnel\n"
    "Proposal 1 Transform 1 Extended Sequence Numbers: Yes\n"
    "Proposal 1 Transform 1 Key Lifetime: 60 minutes\n"
    "Proposal 1 Transform 1 Key Lifesize: none\n";

static const char verbose_host[] =
    "Phase: 2\n"
    "Tun Id: 3\n"
    "Status: Dormant\n"
    "Local Id: 192.0.2.1-192.0.2.1\n"
    "Remote Id: offices\n"
    "Name: hq-host\n"
    "Phase 1 Tunnel: hq (Tun Id 1)\n"
    "Local Id Type: IPV4_Address\n"
    "Local Id Value: 192.0.2.1\n"
    "Local Protocol: any\n"
    "Local Port: any\n"
    "Remote Id Type: Group\n"
    "Remote Id Value: offices\n"
    "Remote Group Member: IPV4_Subnet 10.9.0.0/255.255.0.0\n"
    "Remote Group Member: IPV4_Address 10.8.0.1\n"
    "Remote Protocol: any\n"
    "Remote Port: any\n"
    "Autostart: No\n"
    "On Demand: No\n"
    "Protection: p2\n"
    "Protection Role: Both\n"
    "Initiator DH Group: 0 (no PFS)\n"
    "Responder DH Group: ANY\n"
    "Key Overlap: 5 minutes\n"
    "Proposals: 2\n"
    "Proposal 1: esp-gcm\n"
    "Proposal 1 Transform 1 Protocol: ESP\n"
    "Proposal 1 Transform 1 Encryption: AES-GCM-256\n"
    "Proposal 1 Transform 1 Authentication: None\n"
    "Proposal 1 Transform 1 Mode: Tunnel\n"
    "Proposal 1 Transform 1 Extended Sequence Numbers: Yes\n"
    "Proposal 1 Transform 1 Key Lifetime: 60 minutes\n"
    "Proposal 1 Transform 1 Key Lifesize: none\n"
    "Proposal 2: ah-esp\n"
    "Proposal 2 Transform 1 Protocol: AH\n"
    "Proposal 2 Transform 1 Authentication: HMAC-SHA2-256\n"
    "Proposal 2 Transform 1 Mode: Transport\n"
    "Proposal 2 Transform 1 Key Lifetime: 30 minutes\n"
    "Proposal 2 Transform 1 Key Lifesize: 5000 KB\n"
    "Proposal 2 Transform 2 Protocol: ESP\n"
    "Proposal 2 Transform 2 Encryption: 3DES-CBC\n"
    "Proposal 2 Transform 2 Authentication: HMAC-SHA\n"
    "Proposal 2 Transform 2 Mode: Transport\n"
    "Proposal 2 Transform 2 Extended Sequence Numbers: No\n"
    "Proposal 2 Transform 2 Key Lifetime: 30 minutes\n"
    "Proposal 2 Transform 2 Key Lifesize: none\n";

static void
verbose_phase1_every_attribute(void **state)
{
	(void)state;
	assert_int_equal(list(dbdir, "cmd=list db phase=1 numlist=1 verbose"),
	    IKE_EXIT_OK);
	tu_same_lines(out, verbose_hq);
	assert_int_equal(list(dbdir, "cmd=list db phase=1 numlist=2 verbose"),
	    IKE_EXIT_OK);
	tu_same_lines(out, verbose_branch);
}

static void
verbose_phase2_every_attribute(void **state)
{
	char want[8192];

	(void)state;
	/* Blank line between tunnels; the phase 1 comes first. */
	assert_int_equal(list(dbdir, "cmd=list db phase=2 numlist=2 verbose"),
	    IKE_EXIT_OK);
	snprintf(want, sizeof(want), "%s\n%s", verbose_branch, verbose_web);
	tu_same_lines(out, want);
	assert_int_equal(list(dbdir, "cmd=list db phase=2 numlist=3 verbose"),
	    IKE_EXIT_OK);
	snprintf(want, sizeof(want), "%s\n%s", verbose_hq, verbose_host);
	tu_same_lines(out, want);
}

static void
verbose_never_prints_a_key(void **state)
{
	(void)state;
	assert_int_equal(list(dbdir, "cmd=list db verbose"), IKE_EXIT_OK);
	assert_non_null(strstr(out, "Preshared Key: configured (not shown)"));
	assert_null(strstr(out, CLIFIX_PSK1));
	assert_null(strstr(out, CLIFIX_PSK2));
	assert_null(strstr(out, "horse"));
	/* v6's remote (an X.500 name) has no key. */
	assert_non_null(strstr(out, "Name: v6\n"));
	assert_non_null(strstr(strstr(out, "Name: v6\n"),
	    "Preshared Key: none\n"));
	/* Seven tunnels, six blank lines between them. */
	{
		size_t blanks = 0;
		const char *p;

		for (p = out; (p = strstr(p, "\n\n")) != NULL; p++)
			blanks++;
		assert_int_equal(blanks, 6);
	}
}

static void
dangling_references_are_shown(void **state)
{
	(void)state;
	/* 1+: the orphan phase 2 belongs to no listed phase 1. */
	assert_int_equal(list(dangdir, "cmd=list db"), IKE_EXIT_OK);
	tu_same_lines(out, HEADER "1      1       Dormant     192.0.2.9          "
	    "             198.51.100.9\n");
	/* 2: listed without a phase 1. */
	assert_int_equal(list(dangdir, "cmd=list db phase=2"), IKE_EXIT_OK);
	tu_same_lines(out, HEADER "2      1       Dormant     10.5.0.1-10.5.0.1  "
	    "             10.6.0.1-10.6.0.1\n");
	assert_int_equal(list(dangdir, "cmd=list db phase=1 verbose"),
	    IKE_EXIT_OK);
	assert_non_null(strstr(out, "\nProtection: gone (not in the "
	    "database)\n"));
	assert_null(strstr(out, "IKE Version"));
	assert_int_equal(list(dangdir, "cmd=list db phase=2 verbose"),
	    IKE_EXIT_OK);
	assert_non_null(strstr(out, "\nPhase 1 Tunnel: nowhere (not in the "
	    "database)\n"));
	assert_non_null(strstr(out, "\nProtection: p2x\n"));
	assert_non_null(strstr(out, "\nProposal 1: nothing (not in the "
	    "database)\n"));
	assert_string_equal(err, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(concise_default_is_1plus),
		cmocka_unit_test(concise_phase1_only),
		cmocka_unit_test(concise_phase2_after_its_phase1),
		cmocka_unit_test(numlist_selects_by_phase),
		cmocka_unit_test(nothing_selected_prints_nothing),
		cmocka_unit_test(empty_database_prints_nothing),
		cmocka_unit_test(missing_database_names_the_path),
		cmocka_unit_test(verbose_phase1_every_attribute),
		cmocka_unit_test(verbose_phase2_every_attribute),
		cmocka_unit_test(verbose_never_prints_a_key),
		cmocka_unit_test(dangling_references_are_shown),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
