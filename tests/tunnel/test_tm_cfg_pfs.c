/* tests/tunnel/test_tm_cfg_pfs.c: IPSec_ResponderDHGroup from the
 * database (db_ipsec_protection.resp_dh: DB_DH_NO_PFS, DB_DH_ANY or a
 * group) into the engine's child_cfg.resp_dh (CFG_PFS_NONE, CFG_PFS_ANY
 * or the group), next to IPSec_InitiatorDHGroup (pfs_group), which
 * stays independent of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "core/err.h"
#include "core/tunnel/tm_cfg.h"

static void
prot(struct db_ipsec_protection *pr, struct db_ipsec_proposal *pp,
    uint8_t init_dh, uint8_t resp_dh)
{
	memset(pr, 0, sizeof(*pr));
	memset(pp, 0, sizeof(*pp));
	strcpy(pr->name, "Q1");
	pr->nproposals = 1;
	pr->init_dh = init_dh;
	pr->resp_dh = resp_dh;
	strcpy(pp->name, "E1");
	pp->nprotos = 1;
	pp->protos[0] = (struct db_ipsec_transform){ DB_PROTO_ESP,
	    DB_ENCR_AES_GCM_256, DB_INTEG_HMAC_SHA1, DB_MODE_TUNNEL, false,
	    60, 0 };
}

static uint16_t
resp_of(uint8_t init_dh, uint8_t resp_dh, uint16_t *pfs)
{
	struct db_ipsec_protection pr;
	struct db_ipsec_proposal pp;
	struct child_cfg c;
	char err[TM_ERR_MAX];

	prot(&pr, &pp, init_dh, resp_dh);
	memset(&c, 0xa5, sizeof(c));
	assert_int_equal(tm_child_prot(&pr, &pp, 1, &c, err, sizeof(err)), 0);
	*pfs = c.pfs_group;
	return c.resp_dh;
}

static void
test_resp_dh(void **st)
{
	uint16_t pfs;

	(void)st;
	assert_int_equal(resp_of(0, DB_DH_ANY, &pfs), CFG_PFS_ANY);
	assert_int_equal(pfs, 0);
	assert_int_equal(resp_of(0, DB_DH_NO_PFS, &pfs), CFG_PFS_NONE);
	assert_int_equal(resp_of(19, DB_DH_ANY, &pfs), CFG_PFS_ANY);
	assert_int_equal(pfs, 19);
	assert_int_equal(resp_of(0, 14, &pfs), 14);
	assert_int_equal(pfs, 0);
	assert_int_equal(resp_of(14, 31, &pfs), 31);
	assert_int_equal(pfs, 14);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resp_dh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
