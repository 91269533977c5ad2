/* cli/ikedb/parse.c: the expat-driven reader.  Each start tag is looked
 * up among the children its parent's schema entry allows, its record is
 * found (a new object, an array slot or a field of the parent), defaults
 * are set and the attributes read by value.c; each end tag runs the
 * element's check.  The first error stops the parse. */
#include "parse.h"

#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/secmem.h"
#include "input.h"
#include "schema.h"
#include "value.h"

#define MAX_DEPTH	8	/* AIX_VPN > IPSecTunnel > ... is 4 deep */
#define MAX_SRC		8	/* document + -e file + nested entities */

struct frame {
	const struct sch_elem	*el;
	void			*rec;		/* borrowed: in the item */
	const char		*file;
	unsigned		 line;
	unsigned		 version;	/* IKE version, 0 unknown */
	size_t			 seq;		/* SM_SEQ: current child */
	unsigned		 count[SCH_MAX_CHILDREN];
	unsigned		 line_of[SCH_MAX_CHILDREN];
	unsigned		 total;
};

struct src {
	XML_Parser	 p;
	const char	*file;		/* borrowed from doc->files */
};

struct pctx {
	struct ikedb_doc	*doc;
	const struct ikedb_parse_opts *opts;
	struct frame		 stk[MAX_DEPTH];
	int			 depth;
	struct ikedb_item	*cur;		/* the object being read */
	struct src		 src[MAX_SRC];
	int			 nsrc;
	int			 rc;		/* first error, or 0 */
	char			*err;
	size_t			 errlen;
};

/* ------------------------------------------------------- memory, wiped */

/* Expat's buffers hold preshared keys: everything it frees is wiped. */
#define MM_HDR	16
_Static_assert(MM_HDR >= sizeof(size_t) && MM_HDR % _Alignof(max_align_t) == 0,
    "header keeps malloc's alignment");

static void *
mm_malloc(size_t n)
{
	char *p;

	if (n > SIZE_MAX - MM_HDR || (p = malloc(n + MM_HDR)) == NULL)
		return NULL;
	memcpy(p, &n, sizeof(n));
	return p + MM_HDR;
}

static void
mm_free(void *q)
{
	char *p;
	size_t n;

	if (q == NULL)
		return;
	p = (char *)q - MM_HDR;
	memcpy(&n, p, sizeof(n));
	secmem_wipe(q, n);
	free(p);
}

static void *
mm_realloc(void *q, size_t n)
{
	void *r;
	size_t old;

	if (q == NULL)
		return mm_malloc(n);
	if ((r = mm_malloc(n)) == NULL)
		return NULL;
	memcpy(&old, (char *)q - MM_HDR, sizeof(old));
	memcpy(r, q, old < n ? old : n);
	mm_free(q);
	return r;
}

static const XML_Memory_Handling_Suite wiping_mm = {
	mm_malloc, mm_realloc, mm_free
};

/* ------------------------------------------------------------- messages */

void
ikedb_format_err(char *err, size_t errlen, const char *file, unsigned line,
    const char *elem, const char *attr, const char *value, const char *msg)
{
	char safe[72];
	size_t i;

	snprintf(safe, sizeof(safe), "%s%s", value != NULL ? value : "",
	    value != NULL && strlen(value) > 60 ? "..." : "");
	if (strlen(safe) > 63)
		memcpy(safe + 60, "...", 4);
	for (i = 0; safe[i] != '\0'; i++)
		if ((unsigned char)safe[i] < 0x20 || safe[i] == 0x7f)
			safe[i] = '?';
	snprintf(err, errlen, "%s:%u: %s%s%s%s%s%s%s", file, line,
	    elem != NULL ? elem : "", elem != NULL ? ": " : "",
	    attr != NULL ? attr : "", attr != NULL && value != NULL ? "=\"" :
	    "", attr != NULL && value != NULL ? safe : "",
	    attr != NULL ? (value != NULL ? "\": " : ": ") : "", msg);
}

static struct src *
top_src(struct pctx *c)
{
	return &c->src[c->nsrc - 1];
}

static unsigned
cur_line(struct pctx *c)
{
	return (unsigned)XML_GetCurrentLineNumber(top_src(c)->p);
}

static void
perr(struct pctx *c, unsigned line, const char *elem, const char *attr,
    const char *value, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void
perr(struct pctx *c, unsigned line, const char *elem, const char *attr,
    const char *value, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (c->rc != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ikedb_format_err(c->err, c->errlen, top_src(c)->file, line, elem, attr,
	    value, msg);
	c->rc = IKE_EINVAL;
	(void)XML_StopParser(top_src(c)->p, XML_FALSE); /* fails only if
							 * already stopped */
}

static void
nomem(struct pctx *c)
{
	if (c->rc != 0)
		return;
	snprintf(c->err, c->errlen, "out of memory");
	c->rc = IKE_ENOMEM;
	(void)XML_StopParser(top_src(c)->p, XML_FALSE);	/* as above */
}

static void
xml_error(struct pctx *c, XML_Parser p, const char *file)
{
	char msg[256];

	if (c->rc != 0)
		return;
	snprintf(msg, sizeof(msg), "XML error: %s",
	    XML_ErrorString(XML_GetErrorCode(p)));
	ikedb_format_err(c->err, c->errlen, file,
	    (unsigned)XML_GetCurrentLineNumber(p), NULL, NULL, NULL, msg);
	c->rc = IKE_EINVAL;
}

/* ------------------------------------------------------------ documents */

static const char *
doc_add_file(struct pctx *c, const char *name)
{
	char **nf, *s;

	if ((s = strdup(name)) == NULL)
		return NULL;
	nf = realloc(c->doc->files, (c->doc->nfiles + 1) * sizeof(*nf));
	if (nf == NULL) {
		free(s);
		return NULL;
	}
	c->doc->files = nf;
	nf[c->doc->nfiles++] = s;
	return s;
}

static struct ikedb_item *
doc_add_item(struct pctx *c, enum db_type t, unsigned line)
{
	struct ikedb_item *it, **ni;

	if ((it = calloc(1, sizeof(*it))) == NULL)
		return NULL;
	ni = realloc(c->doc->items, (c->doc->nitems + 1) * sizeof(*ni));
	if (ni == NULL) {
		free(it);
		return NULL;
	}
	c->doc->items = ni;
	ni[c->doc->nitems++] = it;
	it->obj.type = t;
	it->file = top_src(c)->file;
	it->line = line;
	return it;
}

static void
add_note(struct pctx *c, const struct frame *f, const char *attr, int to,
    const char *value)
{
	struct ikedb_item *it = c->cur;
	struct ikedb_note *n;

	if (it == NULL)
		return;
	n = realloc(it->notes, (it->nnotes + 1) * sizeof(*n));
	if (n == NULL) {
		nomem(c);
		return;
	}
	it->notes = n;
	n += it->nnotes++;
	n->file = f->file;
	n->line = f->line;
	n->elem = f->el->name;
	n->attr = attr;
	n->to_type = to;
	snprintf(n->value, sizeof(n->value), "%s", value);
}

void
ikedb_doc_free(struct ikedb_doc *doc)
{
	size_t i;

	if (doc == NULL)
		return;
	for (i = 0; i < doc->nitems; i++) {
		free(doc->items[i]->notes);
		secmem_wipe(doc->items[i], sizeof(*doc->items[i]));
		free(doc->items[i]);
	}
	for (i = 0; i < doc->nfiles; i++)
		free(doc->files[i]);
	free(doc->items);
	free(doc->files);
	memset(doc, 0, sizeof(*doc));
}

/* ------------------------------------------------------------- elements */

static unsigned
get_count(const void *p, size_t size)
{
	uint8_t u8;
	uint16_t u16;

	if (size == 1) {
		memcpy(&u8, p, 1);
		return u8;
	}
	memcpy(&u16, p, 2);
	return u16;
}

static void
set_count(void *p, size_t size, unsigned v)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;

	if (size == 1)
		memcpy(p, &u8, 1);
	else
		memcpy(p, &u16, 2);
}

static void
list_children(const struct sch_elem *el, char *buf, size_t n)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < el->nchildren && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s",
		    i ? ", " : "", el->children[i].elem->name);
}

/* Whether name may come next inside the element of frame p; its index
 * among the children, or -1 after reporting why not. */
static int
child_index(struct pctx *c, struct frame *p, const char *name, unsigned line)
{
	const struct sch_elem *pe = p->el;
	size_t i, j;

	for (i = 0; i < pe->nchildren; i++)
		if (strcmp(pe->children[i].elem->name, name) == 0)
			break;
	if (i == pe->nchildren) {
		perr(c, line, name, NULL, NULL, sch_find_elem(name) != NULL ?
		    "not allowed inside %s" : "unknown element (inside %s)",
		    pe->name);
		return -1;
	}
	if (pe->model == SM_SEQ) {
		if (i < p->seq) {
			perr(c, line, name, NULL, NULL, "must come before %s",
			    pe->children[p->seq].elem->name);
			return -1;
		}
		for (j = p->seq; j < i; j++) {
			if (p->count[j] < pe->children[j].min) {
				perr(c, line, name, NULL, NULL, "%s must come "
				    "first", pe->children[j].elem->name);
				return -1;
			}
		}
		p->seq = i;
	}
	if ((pe->model == SM_SEQ && p->count[i] >= pe->children[i].max) ||
	    (pe->model == SM_CHOICE && p->total >= pe->cmax)) {
		perr(c, line, name, NULL, NULL, "too many in %s (at most %u)",
		    pe->name, pe->model == SM_SEQ ? pe->children[i].max :
		    pe->cmax);
		return -1;
	}
	p->count[i]++;
	p->total++;
	p->line_of[i] = line;
	return (int)i;
}

/* The record of a new child element: a new object, the next array
 * element, or a structure inside the parent's record. */
static void *
child_rec(struct pctx *c, struct frame *p, const struct sch_child *ch,
    unsigned line)
{
	char *base = p->rec;
	unsigned n;

	if (ch->elem->obj_type >= 0) {
		c->cur = doc_add_item(c, (enum db_type)ch->elem->obj_type, line);
		if (c->cur == NULL) {
			nomem(c);
			return NULL;
		}
		return &c->cur->obj.u;
	}
	if (ch->stride == 0)
		return base + ch->off;
	n = get_count(base + ch->count_off, ch->count_size);
	set_count(base + ch->count_off, ch->count_size, n + 1);
	return base + ch->off + (size_t)n * ch->stride;
}

static void
parse_attr(struct pctx *c, struct frame *f, const struct sch_attr *a,
    const char *s)
{
	struct sch_err e;
	const char *shown = (a->flags & SA_SECRET) ? NULL : s;
	int rc;

	memset(&e, 0, sizeof(e));
	if (((a->flags & SA_V1) && f->version == 2) ||
	    ((a->flags & SA_V2) && f->version == 1)) {
		perr(c, f->line, f->el->name, a->name, shown, "IKEv%c only, but "
		    "IKE_Version is %u", (a->flags & SA_V1) ? '1' : '2',
		    f->version);
		return;
	}
	if ((rc = val_parse(a, s, f->rec, f->version, &e)) < 0) {
		perr(c, f->line, f->el->name, a->name, shown, "%s", e.msg);
		return;
	}
	if (rc == VAL_KEEP && c->cur != NULL)
		c->cur->keep_key = true;
	if (a->flags & SA_VERSION)
		f->version = sch_version(f->el, f->rec, f->version);
	if ((a->flags & SA_V2) && f->version == 0)
		add_note(c, f, a->name, NOTE_NEEDS_V2, s);
	if (a->kind == SK_REF)
		add_note(c, f, a->name, a->to_type,
		    (const char *)f->rec + a->off);
	if (a->kind == SK_REFLIST) {
		const char (*names)[DB_NAME_MAX] =
		    (const void *)((const char *)f->rec + a->off);
		unsigned i, n = get_count((const char *)f->rec + a->aux, 1);

		for (i = 0; i < n; i++)
			add_note(c, f, a->name, a->to_type, names[i]);
	}
}

static void
set_defaults(struct pctx *c, struct frame *f)
{
	const struct sch_attr *a;
	struct sch_err e;
	size_t i;

	for (i = 0; i < f->el->nattrs; i++) {
		a = &f->el->attrs[i];
		if (a->def == NULL || a->kind == SK_FIXED)
			continue;
		if (val_parse(a, a->def, f->rec, 0, &e) < 0)
			perr(c, f->line, f->el->name, a->name, a->def,
			    "internal error: bad default: %s", e.msg);
	}
	f->version = sch_version(f->el, f->rec, f->version);
}

static void
read_attrs(struct pctx *c, struct frame *f, const XML_Char **atts)
{
	const struct sch_elem *el = f->el;
	const char *given[SCH_MAX_ATTRS] = { 0 };
	size_t i, k;
	int late;

	for (k = 0; atts[k] != NULL; k += 2) {
		for (i = 0; i < el->nattrs; i++)
			if (strcmp(el->attrs[i].name, atts[k]) == 0)
				break;
		if (i == el->nattrs) {
			perr(c, f->line, el->name, atts[k], NULL,
			    "unknown attribute");
			return;
		}
		given[i] = atts[k + 1];
	}
	for (i = 0; i < el->nattrs; i++) {
		if ((el->attrs[i].flags & SA_REQ) && given[i] == NULL) {
			perr(c, f->line, el->name, el->attrs[i].name, NULL,
			    "missing (required)");
			return;
		}
	}
	set_defaults(c, f);
	for (late = 0; late < 2; late++)
		for (i = 0; i < el->nattrs && c->rc == 0; i++)
			if (given[i] != NULL &&
			    !(el->attrs[i].flags & SA_LATE) == !late)
				parse_attr(c, f, &el->attrs[i], given[i]);
	for (i = 0; i < el->nattrs && c->rc == 0; i++) {
		const struct sch_attr *a = &el->attrs[i];

		if ((a->flags & SA_FOLLOWS) && given[i] == NULL)
			memcpy((char *)f->rec + a->off,
			    (const char *)f->rec + a->aux, a->size);
	}
}

static void XMLCALL
on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct pctx *c = ud;
	struct frame *p = c->depth > 0 ? &c->stk[c->depth - 1] : NULL;
	const struct sch_elem *el = &sch_root;
	unsigned line = cur_line(c);
	void *rec = NULL;
	struct frame *f;
	int i;

	if (c->rc != 0)
		return;
	if (p == NULL && strcmp(name, sch_root.name) != 0) {
		perr(c, line, name, NULL, NULL, "the document element must "
		    "be %s", sch_root.name);
		return;
	}
	if (p != NULL) {
		if ((i = child_index(c, p, name, line)) < 0)
			return;
		if (c->depth == MAX_DEPTH) {	/* the schema is shallower */
			perr(c, line, name, NULL, NULL, "nested too deeply");
			return;
		}
		el = p->el->children[i].elem;
		if ((rec = child_rec(c, p, &p->el->children[i], line)) == NULL)
			return;
	}
	f = &c->stk[c->depth++];
	memset(f, 0, sizeof(*f));
	f->el = el;
	f->rec = rec;
	f->file = top_src(c)->file;
	f->line = line;
	f->version = p != NULL ? p->version : 0;
	if (el->has_tag)
		set_count((char *)rec + el->tag_off, 1, el->tag);
	read_attrs(c, f, atts);
}

/* Whether all children the element needs are there. */
static void
end_children(struct pctx *c, struct frame *f)
{
	const struct sch_elem *el = f->el;
	char list[256];
	size_t j;

	if (el->model == SM_SEQ) {
		for (j = f->seq; j < el->nchildren; j++) {
			if (f->count[j] < el->children[j].min) {
				perr(c, f->line, el->name, NULL, NULL,
				    "missing %s", el->children[j].elem->name);
				return;
			}
		}
	} else if (el->model == SM_CHOICE && f->total < el->cmin) {
		list_children(el, list, sizeof(list));
		perr(c, f->line, el->name, NULL, NULL, "needs %s of: %s",
		    el->cmin == 1 && el->cmax == 1 ? "one" : "at least one",
		    list);
	}
}

static void
end_check(struct pctx *c, struct frame *f)
{
	struct sch_err e;
	unsigned line = f->line;
	size_t j;

	memset(&e, 0, sizeof(e));
	if (f->el->check == NULL || f->el->check(f->rec, f->version, &e) == 0)
		return;
	for (j = 0; e.elem != NULL && j < f->el->nchildren; j++)
		if (strcmp(f->el->children[j].elem->name, e.elem) == 0)
			line = f->line_of[j];
	perr(c, line, e.elem != NULL ? e.elem : f->el->name, e.attr,
	    e.attr != NULL && e.value[0] != '\0' ? e.value : NULL, "%s", e.msg);
}

static const char *
name_attr(const struct sch_elem *el)
{
	size_t i;

	for (i = 0; i < el->nattrs; i++)
		if (el->attrs[i].kind == SK_NAME)
			return el->attrs[i].name;
	return NULL;
}

/* An object is complete: its key must be new in the file. */
static void
end_item(struct pctx *c, struct frame *f)
{
	struct ikedb_item *it = c->cur;
	const char *attr = name_attr(f->el);
	size_t i;

	c->cur = NULL;
	if (db_obj_key(&it->obj, it->key, sizeof(it->key)) != 0) {
		perr(c, f->line, f->el->name, NULL, NULL, "key too long");
		return;
	}
	for (i = 0; i + 1 < c->doc->nitems; i++) {
		const struct ikedb_item *o = c->doc->items[i];

		if (o->obj.type == it->obj.type && strcmp(o->key, it->key) == 0) {
			perr(c, f->line, f->el->name, attr, attr ? it->key :
			    NULL, "%s%s%sdefined twice (first at %s:%u)",
			    attr ? "" : "a key for ", attr ? "" : it->key,
			    attr ? "" : " ", o->file, o->line);
			return;
		}
	}
}

static void XMLCALL
on_end(void *ud, const XML_Char *name)
{
	struct pctx *c = ud;
	struct frame *f;

	(void)name;
	if (c->rc != 0 || c->depth == 0)
		return;
	f = &c->stk[c->depth - 1];
	end_children(c, f);
	if (c->rc == 0)
		end_check(c, f);
	if (c->rc == 0 && f->el->obj_type >= 0)
		end_item(c, f);
	c->depth--;
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
	struct pctx *c = ud;
	int i;

	if (c->rc != 0 || c->depth == 0)
		return;
	for (i = 0; i < len; i++) {
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
		    s[i] != '\n') {
			perr(c, cur_line(c), c->stk[c->depth - 1].el->name,
			    NULL, NULL, "text is not allowed here");
			return;
		}
	}
}

/* ------------------------------------------------------- DTD, entities */

static void XMLCALL
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	struct pctx *c = ud;

	(void)name;
	(void)sysid;
	(void)pubid;
	if (has_internal_subset)
		perr(c, cur_line(c), "DOCTYPE", NULL, NULL, "an internal DTD "
		    "subset is not allowed (put entity declarations in a file "
		    "given with -e)");
}

static void XMLCALL
on_skipped(void *ud, const XML_Char *name, int is_param)
{
	struct pctx *c = ud;

	perr(c, cur_line(c), NULL, NULL, NULL, "undefined entity %c%s;",
	    is_param ? '%' : '&', name);
}

static void XMLCALL
on_entity_decl(void *ud, const XML_Char *name, int is_param,
    const XML_Char *value, int value_len, const XML_Char *base,
    const XML_Char *sysid, const XML_Char *pubid, const XML_Char *notation)
{
	struct pctx *c = ud;

	(void)value;
	(void)value_len;
	(void)base;
	(void)sysid;
	(void)pubid;
	if (is_param)
		perr(c, cur_line(c), "ENTITY", NULL, NULL, "%%%s: parameter "
		    "entities are not allowed", name);
	else if (notation != NULL)
		perr(c, cur_line(c), "ENTITY", NULL, NULL, "%s: unparsed "
		    "entities are not allowed", name);
}

/* Parses buf as an external entity of parent: the DTD subset (the -e
 * file, context NULL) or a file the -e file declares. */
static int
parse_sub(struct pctx *c, XML_Parser parent, const XML_Char *context,
    const char *name, const char *buf, size_t len)
{
	XML_Parser sp;
	const char *file;
	enum XML_Status st;

	if (c->nsrc == MAX_SRC) {
		perr(c, cur_line(c), NULL, NULL, NULL, "entities nested more "
		    "than %d deep", MAX_SRC - 2);
		return XML_STATUS_ERROR;
	}
	if ((file = doc_add_file(c, name)) == NULL ||
	    (sp = XML_ExternalEntityParserCreate(parent, context, NULL)) ==
	    NULL) {
		nomem(c);
		return XML_STATUS_ERROR;
	}
	(void)XML_SetBase(sp, file);	/* fails only without memory; then
					 * relative names resolve from "." */
	c->src[c->nsrc++] = (struct src){ sp, file };
	st = XML_Parse(sp, buf, (int)len, XML_TRUE);
	if (st == XML_STATUS_ERROR)
		xml_error(c, sp, file);
	c->nsrc--;
	XML_ParserFree(sp);
	return c->rc != 0 ? XML_STATUS_ERROR : XML_STATUS_OK;
}

static int XMLCALL
on_extref(XML_Parser p, const XML_Char *context, const XML_Char *base,
    const XML_Char *sysid, const XML_Char *pubid)
{
	struct pctx *c = XML_GetUserData(p);
	char err[512], *path, *buf;
	size_t len;
	int rc;

	(void)pubid;
	if (context == NULL)	/* the external DTD subset: our -e file */
		return parse_sub(c, p, NULL, c->opts->entity_name,
		    c->opts->entities, strlen(c->opts->entities));
	if (sysid == NULL || (path = ent_resolve(base, sysid)) == NULL) {
		nomem(c);
		return XML_STATUS_ERROR;
	}
	if ((rc = ent_read_file(path, &buf, &len, err, sizeof(err))) != 0) {
		perr(c, cur_line(c), NULL, NULL, NULL, "%s", err);
		free(path);
		return XML_STATUS_ERROR;
	}
	rc = parse_sub(c, p, context, path, buf, len);
	secmem_wipe(buf, len);
	free(buf);
	free(path);
	return rc;
}

/* ------------------------------------------------------------------ API */

static XML_Parser
make_parser(struct pctx *c)
{
	XML_Parser p = XML_ParserCreate_MM(NULL, &wiping_mm, NULL);

	if (p == NULL)
		return NULL;
	XML_SetUserData(p, c);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	XML_SetSkippedEntityHandler(p, on_skipped);
	XML_SetEntityDeclHandler(p, on_entity_decl);
	if (c->opts->entities != NULL) {
		/* Read the -e file as if it were the external DTD subset,
		 * whether the document names one or not. */
		XML_UseForeignDTD(p, XML_TRUE);
		XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_ALWAYS);
		XML_SetExternalEntityRefHandler(p, on_extref);
	}
	return p;
}

int
ikedb_parse(const char *buf, size_t len, const struct ikedb_parse_opts *o,
    struct ikedb_doc *doc, char *err, size_t errlen)
{
	struct pctx *c;
	XML_Parser p;
	const char *file;
	int rc;

	memset(doc, 0, sizeof(*doc));
	if (len > INT32_MAX) {
		snprintf(err, errlen, "%s: too large", o->name);
		return IKE_EINVAL;
	}
	if (o->entities != NULL &&
	    ent_check(o->entities, o->entity_name, err, errlen) != 0)
		return IKE_EINVAL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return IKE_ENOMEM;
	c->doc = doc;
	c->opts = o;
	c->err = err;
	c->errlen = errlen;
	if ((file = doc_add_file(c, o->name)) == NULL ||
	    (p = make_parser(c)) == NULL) {
		free(c);
		ikedb_doc_free(doc);
		snprintf(err, errlen, "out of memory");
		return IKE_ENOMEM;
	}
	c->src[c->nsrc++] = (struct src){ p, file };
	if (XML_Parse(p, buf, (int)len, XML_TRUE) == XML_STATUS_ERROR)
		xml_error(c, p, file);
	XML_ParserFree(p);
	if ((rc = c->rc) != 0)
		ikedb_doc_free(doc);
	free(c);
	return rc;
}

int
ikedb_parse_ident(const char *type, const char *value, struct db_ident *out,
    char *err, size_t errlen)
{
	const struct sch_elem *el;
	struct db_ident id;
	struct sch_err e;
	enum db_idtype t;
	char v1[DB_IDVAL_MAX + DB_IDVAL2_MAX], *v2 = NULL;

	memset(&id, 0, sizeof(id));
	memset(&e, 0, sizeof(e));
	if (db_idtype_parse(type, &t) != 0 || (el = sch_ident_elem(t)) == NULL) {
		snprintf(err, errlen, "-y %s: not an identity type", type);
		return IKE_EINVAL;
	}
	snprintf(v1, sizeof(v1), "%s", value);
	if (el->nattrs == 2) {
		if ((v2 = strchr(v1, ',')) == NULL) {
			snprintf(err, errlen, "-i %s: %s needs %s,%s", value,
			    el->name, el->attrs[0].name, el->attrs[1].name);
			return IKE_EINVAL;
		}
		*v2++ = '\0';
	}
	id.type = (uint8_t)t;
	if (val_parse(&el->attrs[0], v1, &id, 0, &e) != 0 ||
	    (v2 != NULL && val_parse(&el->attrs[1], v2, &id, 0, &e) != 0) ||
	    (el->check != NULL && el->check(&id, 0, &e) != 0)) {
		snprintf(err, errlen, "-i %s: %s", value, e.msg);
		return IKE_EINVAL;
	}
	*out = id;
	return 0;
}
