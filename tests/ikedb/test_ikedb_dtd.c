/* ikedb -o: the DTD is well-formed (expat reads it as a document's
 * internal subset), declares every element and attribute of the schema
 * table and nothing else, and the documents ikedb -g prints are valid
 * against it: checked by a small validator over expat's view of the
 * declarations (element content models, attribute types, #REQUIRED,
 * #FIXED).  The validator is itself shown to catch invalid documents.
 * Also: data/full.xml, the round-trip document, uses every element and
 * every attribute with a value other than its default. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>
#include <expat.h>

#include "cli/ikedb/schema.h"
#include "cli/ikedb/value.h"
#include "ikt.h"

#define MAX_DECL	64
#define MAX_ATTR	16
#define MAX_KIDS	256
#define MAX_DEPTH	16

struct adecl {
	char	*name, *type, *dflt;	/* dflt: #FIXED value, or NULL */
	bool	 required;
};

struct edecl {
	char		*name;
	XML_Content	*model;		/* expat's; freed with the parser */
	struct adecl	 attrs[MAX_ATTR];
	int		 nattrs;
	int		 declared;	/* <!ELEMENT> seen (count) */
};

struct dtd {
	XML_Parser	 p;
	struct edecl	 el[MAX_DECL];
	int		 nel;
	char		*text;
};

static struct dtd dtd;

static struct edecl *
decl(const char *name, bool add)
{
	int i;

	for (i = 0; i < dtd.nel; i++)
		if (strcmp(dtd.el[i].name, name) == 0)
			return &dtd.el[i];
	if (!add || dtd.nel == MAX_DECL)
		return NULL;
	dtd.el[dtd.nel].name = strdup(name);
	return &dtd.el[dtd.nel++];
}

static void XMLCALL
on_element_decl(void *ud, const XML_Char *name, XML_Content *model)
{
	struct edecl *e = decl(name, true);

	(void)ud;
	assert_non_null(e);
	if (e->model != NULL)
		XML_FreeContentModel(dtd.p, e->model);
	e->model = model;
	e->declared++;
}

static void XMLCALL
on_attlist_decl(void *ud, const XML_Char *el, const XML_Char *att,
    const XML_Char *type, const XML_Char *dflt, int required)
{
	struct edecl *e = decl(el, true);
	struct adecl *a;

	(void)ud;
	assert_non_null(e);
	assert_true(e->nattrs < MAX_ATTR);
	a = &e->attrs[e->nattrs++];
	a->name = strdup(att);
	a->type = strdup(type);
	a->dflt = dflt != NULL ? strdup(dflt) : NULL;
	a->required = required != 0;
}

static int
load_dtd(void **state)
{
	struct ikt t;
	struct tu_result r;
	char *doc;

	(void)state;
	ikt_init(&t);
	ikt_run(&t, NULL, &r, "-o", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	ikt_fini(&t);
	dtd.text = r.out;
	free(r.err);
	doc = malloc(strlen(dtd.text) + 64);
	assert_non_null(doc);
	sprintf(doc, "<!DOCTYPE AIX_VPN [\n%s]>\n<AIX_VPN/>\n", dtd.text);
	dtd.p = XML_ParserCreate(NULL);
	XML_SetElementDeclHandler(dtd.p, on_element_decl);
	XML_SetAttlistDeclHandler(dtd.p, on_attlist_decl);
	if (XML_Parse(dtd.p, doc, (int)strlen(doc), XML_TRUE) !=
	    XML_STATUS_OK)
		fail_msg("the DTD is not well-formed: line %lu: %s",
		    XML_GetCurrentLineNumber(dtd.p),
		    XML_ErrorString(XML_GetErrorCode(dtd.p)));
	free(doc);
	return 0;
}

static int
free_dtd(void **state)
{
	int i, j;

	(void)state;
	for (i = 0; i < dtd.nel; i++) {
		if (dtd.el[i].model != NULL)
			XML_FreeContentModel(dtd.p, dtd.el[i].model);
		for (j = 0; j < dtd.el[i].nattrs; j++) {
			free(dtd.el[i].attrs[j].name);
			free(dtd.el[i].attrs[j].type);
			free(dtd.el[i].attrs[j].dflt);
		}
		free(dtd.el[i].name);
	}
	XML_ParserFree(dtd.p);
	free(dtd.text);
	return 0;
}

static const struct adecl *
adecl(const struct edecl *e, const char *name)
{
	int i;

	for (i = 0; i < e->nattrs; i++)
		if (strcmp(e->attrs[i].name, name) == 0)
			return &e->attrs[i];
	return NULL;
}

/* ------------------------------------------------- DTD against schema */

static int nschema;

static void
check_elem(const struct sch_elem *el, void *arg)
{
	const struct edecl *e = decl(el->name, false);
	char list[VAL_MAX], want[VAL_MAX + 2];
	size_t i;

	(void)arg;
	nschema++;
	if (e == NULL || e->declared != 1)
		fail_msg("%s: not declared exactly once", el->name);
	assert_int_equal(e->nattrs, (int)el->nattrs);
	for (i = 0; i < el->nattrs; i++) {
		const struct sch_attr *a = &el->attrs[i];
		const struct adecl *d = adecl(e, a->name);

		if (d == NULL)
			fail_msg("%s: %s not declared", el->name, a->name);
		if (a->kind == SK_FIXED) {
			assert_true(d->required);
			assert_string_equal(d->dflt, a->def);
			continue;
		}
		assert_null(d->dflt);
		assert_int_equal(d->required, (a->flags & SA_REQ) != 0);
		if (val_enum_list(a, "|", list, sizeof(list)) > 0) {
			snprintf(want, sizeof(want), "(%s)", list);
			assert_string_equal(d->type, want);
		} else
			assert_string_equal(d->type, "CDATA");
	}
}

static void
dtd_matches_schema(void **state)
{
	int i;

	(void)state;
	nschema = 0;
	sch_walk(check_elem, NULL);
	/* Nothing declared that the schema does not have. */
	assert_int_equal(dtd.nel, nschema);
	for (i = 0; i < dtd.nel; i++)
		assert_int_equal(dtd.el[i].declared, 1);
	assert_non_null(strstr(dtd.text, "<!ELEMENT IKETransform EMPTY>"));
	assert_non_null(strstr(dtd.text, "<!ELEMENT IKEGroup (IPV4_Address|"
	    "IPV6_Address|FQDN|User_FQDN|X500DN|KEY_ID|IPV4_Subnet|"
	    "IPV6_Subnet|IPV4_Address_Range|IPV6_Address_Range)+>"));
}

/* ------------------------------------------------------------ validator */

/* Marks in `out` the positions reachable by matching c once from any
 * position marked in `in`; n children named kids. */
static void match(const XML_Content *, char **, int, const bool *, bool *);

static void
match_once(const XML_Content *c, char **kids, int n, const bool *in,
    bool *out)
{
	bool cur[MAX_KIDS + 1], nxt[MAX_KIDS + 1];
	unsigned i;
	int p;

	memset(out, 0, (size_t)(n + 1));
	switch (c->type) {
	case XML_CTYPE_NAME:
		for (p = 0; p < n; p++)
			if (in[p] && strcmp(kids[p], c->name) == 0)
				out[p + 1] = true;
		break;
	case XML_CTYPE_SEQ:
		memcpy(cur, in, (size_t)(n + 1));
		for (i = 0; i < c->numchildren; i++) {
			match(&c->children[i], kids, n, cur, nxt);
			memcpy(cur, nxt, (size_t)(n + 1));
		}
		memcpy(out, cur, (size_t)(n + 1));
		break;
	case XML_CTYPE_CHOICE:
		for (i = 0; i < c->numchildren; i++) {
			match(&c->children[i], kids, n, in, nxt);
			for (p = 0; p <= n; p++)
				out[p] |= nxt[p];
		}
		break;
	default:
		fail_msg("unexpected content type %d", c->type);
	}
}

static void
match(const XML_Content *c, char **kids, int n, const bool *in, bool *out)
{
	bool cur[MAX_KIDS + 1], one[MAX_KIDS + 1];
	bool grew = true;
	int p;

	match_once(c, kids, n, in, one);
	if (c->quant == XML_CQUANT_NONE || c->quant == XML_CQUANT_OPT) {
		for (p = 0; p <= n; p++)
			out[p] = one[p] || (c->quant == XML_CQUANT_OPT && in[p]);
		return;
	}
	/* + and *: repeat until nothing new is reachable. */
	memcpy(out, one, (size_t)(n + 1));
	if (c->quant == XML_CQUANT_REP)
		for (p = 0; p <= n; p++)
			out[p] |= in[p];
	while (grew) {
		grew = false;
		memcpy(cur, out, (size_t)(n + 1));
		match_once(c, kids, n, cur, one);
		for (p = 0; p <= n; p++) {
			if (one[p] && !out[p]) {
				out[p] = true;
				grew = true;
			}
		}
	}
}

struct vframe {
	const struct edecl	*e;
	char			*kids[MAX_KIDS];
	int			 nkids;
};

struct vstate {
	struct vframe	 stk[MAX_DEPTH];
	int		 depth;
	char		 why[512];	/* first invalidity, "" if valid */
	/* Every (element, attribute, value) seen, for coverage. */
	char		*seen[2048];
	int		 nseen;
};

static void
invalid(struct vstate *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
invalid(struct vstate *v, const char *fmt, ...)
{
	va_list ap;

	if (v->why[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(v->why, sizeof(v->why), fmt, ap);
	va_end(ap);
}

/* An enumerated type "(a|b|c)" allows value. */
static bool
in_enum(const char *type, const char *value)
{
	size_t n = strlen(value);
	const char *p = type + 1;

	while (*p != '\0') {
		if (strncmp(p, value, n) == 0 && (p[n] == '|' || p[n] == ')'))
			return true;
		p += strcspn(p, "|)") + 1;
	}
	return false;
}

static void
check_attrs(struct vstate *v, const struct edecl *e, const char **atts)
{
	char buf[600];
	int i;

	for (i = 0; atts[i] != NULL; i += 2) {
		const struct adecl *d = adecl(e, atts[i]);

		if (d == NULL) {
			invalid(v, "%s: %s not declared", e->name, atts[i]);
			continue;
		}
		if (d->type[0] == '(' && !in_enum(d->type, atts[i + 1]))
			invalid(v, "%s: %s=\"%s\" not in %s", e->name, atts[i],
			    atts[i + 1], d->type);
		if (d->dflt != NULL && strcmp(d->dflt, atts[i + 1]) != 0)
			invalid(v, "%s: %s is #FIXED", e->name, atts[i]);
		snprintf(buf, sizeof(buf), "%s %s=%s", e->name, atts[i],
		    atts[i + 1]);
		if (v->nseen < 2048)
			v->seen[v->nseen++] = strdup(buf);
	}
	for (i = 0; i < e->nattrs; i++) {
		int j;

		if (!e->attrs[i].required || e->attrs[i].dflt != NULL)
			continue;
		for (j = 0; atts[j] != NULL; j += 2)
			if (strcmp(atts[j], e->attrs[i].name) == 0)
				break;
		if (atts[j] == NULL)
			invalid(v, "%s: %s #REQUIRED", e->name,
			    e->attrs[i].name);
	}
}

static void XMLCALL
v_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct vstate *v = ud;
	const struct edecl *e = decl(name, false);
	struct vframe *f;

	if (e == NULL || e->declared == 0) {
		invalid(v, "%s not declared", name);
		e = NULL;
	} else
		check_attrs(v, e, atts);
	if (v->depth > 0) {
		f = &v->stk[v->depth - 1];
		assert_true(f->nkids < MAX_KIDS);
		f->kids[f->nkids++] = strdup(name);
	}
	assert_true(v->depth < MAX_DEPTH);
	f = &v->stk[v->depth++];
	f->e = e;
	f->nkids = 0;
}

static void XMLCALL
v_end(void *ud, const XML_Char *name)
{
	struct vstate *v = ud;
	struct vframe *f = &v->stk[--v->depth];
	bool in[MAX_KIDS + 1] = { true }, out[MAX_KIDS + 1];
	int i;

	(void)name;
	if (f->e != NULL) {
		if (f->e->model->type == XML_CTYPE_EMPTY) {
			if (f->nkids != 0)
				invalid(v, "%s is EMPTY", f->e->name);
		} else {
			match(f->e->model, f->kids, f->nkids, in, out);
			if (!out[f->nkids])
				invalid(v, "%s: children do not match its "
				    "content model", f->e->name);
		}
	}
	for (i = 0; i < f->nkids; i++)
		free(f->kids[i]);
}

static void
vstate_free(struct vstate *v)
{
	int i;

	for (i = 0; i < v->nseen; i++)
		free(v->seen[i]);
}

/* Validates text; returns the first invalidity, or "" (static). */
static const char *
validate(const char *text, struct vstate *v)
{
	XML_Parser p = XML_ParserCreate(NULL);

	memset(v, 0, sizeof(*v));
	XML_SetUserData(p, v);
	XML_SetElementHandler(p, v_start, v_end);
	if (XML_Parse(p, text, (int)strlen(text), XML_TRUE) != XML_STATUS_OK)
		invalid(v, "not well-formed: %s",
		    XML_ErrorString(XML_GetErrorCode(p)));
	XML_ParserFree(p);
	if (strncmp(text, "<?xml", 5) != 0 ||
	    strstr(text, "\n<AIX_VPN") == NULL)
		invalid(v, "document element is not AIX_VPN");
	return v->why;
}

static void
valid(const char *text)
{
	struct vstate v;
	const char *why = validate(text, &v);

	if (why[0] != '\0')
		fail_msg("invalid: %s", why);
	vstate_free(&v);
}

static void
not_valid(const char *text, const char *why_want)
{
	struct vstate v;

	assert_string_equal(validate(text, &v), why_want);
	vstate_free(&v);
}

/* What ikedb -g prints is valid: the documents of the other tests, as
 * the program prints them, and the examples as printed. */
static void
printed_documents_valid(void **state)
{
	static const char *const ex[] = { "site-to-site-v1.xml",
	    "site-to-site-v2.xml", "users-group-default.xml" };
	char *s, path[1024], *out;
	struct ikt t;
	size_t i;

	(void)state;
	s = ikt_data("full.xml");
	valid(s);
	free(s);
	s = ikt_data("example.xml");
	valid(s);
	free(s);
	ikt_init(&t);
	for (i = 0; i < sizeof(ex) / sizeof(ex[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", IKE_EXAMPLES_DIR, ex[i]);
		s = tu_read_file(path, NULL);
		assert_non_null(s);
		ikt_put(&t, "-p", s);
		free(s);
	}
	out = ikt_dump(&t);
	valid(out);
	free(out);
	ikt_fini(&t);
	valid("<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">\n</AIX_VPN>\n");
}

/* The validator is not vacuous. */
static void
validator_catches(void **state)
{
	(void)state;
	not_valid("<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">"
	    "<IKEGroup IKE_GroupName=\"g\" Colour=\"red\"><FQDN Value=\"a\"/>"
	    "</IKEGroup></AIX_VPN>", "IKEGroup: Colour not declared");
	not_valid("<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">"
	    "<IKEGroup IKE_GroupName=\"g\"/></AIX_VPN>",
	    "IKEGroup: children do not match its content model");
	not_valid("<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">"
	    "<IKETunnel IKE_TunnelName=\"t\" IKE_ProtectionRef=\"p\">"
	    "<IKERemoteIdentity><FQDN Value=\"a\"/></IKERemoteIdentity>"
	    "<IKELocalIdentity><FQDN Value=\"b\"/></IKELocalIdentity>"
	    "</IKETunnel></AIX_VPN>",
	    "IKETunnel: children do not match its content model");
	not_valid("<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">"
	    "<IKEProtection IKE_ProtectionName=\"p\"><IKETransform "
	    "IKE_DHGroup=\"13\"/></IKEProtection></AIX_VPN>",
	    "IKETransform: IKE_DHGroup=\"13\" not in (1|2|5|14|15|16|17|18|19|"
	    "20|21|24|31)");
	not_valid("<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.0\">"
	    "<IKEProtection/></AIX_VPN>",
	    "IKEProtection: IKE_ProtectionName #REQUIRED");
	not_valid("<?xml version=\"1.0\"?>\n<AIX_VPN Version=\"2.1\"/>",
	    "AIX_VPN: Version is #FIXED");
	not_valid("<?xml version=\"1.0\"?>\n<AIX_VPN><Bogus/></AIX_VPN>",
	    "Bogus not declared");
	not_valid("<?xml version=\"1.0\"?>\n<AIX_VPN><IPSecProposal "
	    "IPSec_ProposalName=\"x\"><IPSecAHProtocol><FQDN Value=\"a\"/>"
	    "</IPSecAHProtocol></IPSecProposal></AIX_VPN>",
	    "IPSecAHProtocol is EMPTY");
}

/* --------------------------------------------------- full.xml coverage */

struct cover {
	struct vstate	*v;
	int		 attrs;
};

static bool
seen_other_than(const struct vstate *v, const char *el, const char *attr,
    const char *def, bool *present)
{
	char prefix[200];
	size_t n;
	int i;

	snprintf(prefix, sizeof(prefix), "%s %s=", el, attr);
	n = strlen(prefix);
	*present = false;
	for (i = 0; i < v->nseen; i++) {
		if (strncmp(v->seen[i], prefix, n) != 0)
			continue;
		*present = true;
		if (def == NULL || strcasecmp(v->seen[i] + n, def) != 0)
			return true;
	}
	return false;
}

static void
cover_elem(const struct sch_elem *el, void *arg)
{
	struct cover *c = arg;
	bool present;
	size_t i;

	for (i = 0; i < el->nattrs; i++) {
		const struct sch_attr *a = &el->attrs[i];

		if (a->kind == SK_FIXED)
			continue;
		c->attrs++;
		if (!seen_other_than(c->v, el->name, a->name, a->def,
		    &present))
			fail_msg("full.xml: %s %s %s", el->name, a->name,
			    present ? "only at its default" : "missing");
	}
}

static void
full_covers_everything(void **state)
{
	struct vstate v;
	struct cover c = { &v, 0 };
	char *full = ikt_data("full.xml"), tag[80];
	int i;

	(void)state;
	assert_string_equal(validate(full, &v), "");
	sch_walk(cover_elem, &c);
	assert_true(c.attrs > 60);
	/* Elements without attributes appear too. */
	for (i = 0; i < dtd.nel; i++) {
		snprintf(tag, sizeof(tag), "<%s", dtd.el[i].name);
		if (strstr(full, tag) == NULL)
			fail_msg("full.xml lacks %s", dtd.el[i].name);
	}
	vstate_free(&v);
	free(full);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dtd_matches_schema),
		cmocka_unit_test(printed_documents_valid),
		cmocka_unit_test(validator_catches),
		cmocka_unit_test(full_covers_everything),
	};

	return cmocka_run_group_tests(tests, load_dtd, free_dtd);
}
