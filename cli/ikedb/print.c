/* cli/ikedb/print.c: records -> XML, driven by the schema. */
#include "print.h"

#include <string.h>

#include "core/secmem.h"
#include "schema.h"
#include "value.h"

void
print_escaped(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		/* Attribute-value normalisation would turn these into
		 * spaces: keep them as references. */
		case '\t': fputs("&#9;", f); break;
		case '\n': fputs("&#10;", f); break;
		case '\r': fputs("&#13;", f); break;
		default: fputc(*s, f); break;
		}
	}
}

static void
print_attrs(FILE *f, const struct sch_elem *el, const void *rec,
    unsigned version, bool keys)
{
	char buf[VAL_MAX];
	size_t i;

	for (i = 0; i < el->nattrs; i++) {
		if (!val_format(&el->attrs[i], rec, version, keys, buf,
		    sizeof(buf)))
			continue;
		fprintf(f, " %s=\"", el->attrs[i].name);
		print_escaped(f, buf);
		fputc('"', f);
	}
	secmem_wipe(buf, sizeof(buf));
}

static unsigned
count_of(const void *rec, const struct sch_child *ch)
{
	uint8_t u8;
	uint16_t u16;
	const char *p = (const char *)rec + ch->count_off;

	if (ch->count_size == 1) {
		memcpy(&u8, p, 1);
		return u8;
	}
	memcpy(&u16, p, 2);
	return u16;
}

/* The child whose tag the record at rec carries, for SM_CHOICE. */
static const struct sch_child *
tagged_child(const struct sch_elem *el, const char *rec)
{
	size_t i;
	uint8_t tag;

	for (i = 0; i < el->nchildren; i++) {
		const struct sch_elem *ce = el->children[i].elem;

		memcpy(&tag, rec + el->children[i].off + ce->tag_off, 1);
		if (ce->has_tag && tag == ce->tag)
			return &el->children[i];
	}
	return NULL;
}

static void print_elem(FILE *, const struct sch_elem *, const void *,
    unsigned, bool, int);

static void
print_children(FILE *f, const struct sch_elem *el, const char *rec,
    unsigned version, bool keys, int depth)
{
	const struct sch_child *ch;
	unsigned n, j;
	size_t i;

	if (el->model == SM_CHOICE) {
		/* One record, or an array all children share. */
		ch = &el->children[0];
		n = ch->stride != 0 ? count_of(rec, ch) : 1;
		for (j = 0; j < n && j < ch->max; j++) {
			const char *r = rec + (size_t)j * ch->stride;
			const struct sch_child *tc = tagged_child(el, r);

			if (tc != NULL)
				print_elem(f, tc->elem, r + tc->off, version,
				    keys, depth);
		}
		return;
	}
	for (i = 0; i < el->nchildren; i++) {
		ch = &el->children[i];
		n = ch->stride != 0 ? count_of(rec, ch) : 1;
		for (j = 0; j < n && j < ch->max; j++)
			print_elem(f, ch->elem, rec + ch->off +
			    (size_t)j * ch->stride, version, keys, depth);
	}
}

static void
print_elem(FILE *f, const struct sch_elem *el, const void *rec,
    unsigned version, bool keys, int depth)
{
	version = sch_version(el, rec, version);
	fprintf(f, "%*s<%s", 2 * depth, "", el->name);
	print_attrs(f, el, rec, version, keys);
	if (el->model == SM_EMPTY) {
		fputs("/>\n", f);
		return;
	}
	fputs(">\n", f);
	print_children(f, el, rec, version, keys, depth + 1);
	fprintf(f, "%*s</%s>\n", 2 * depth, "", el->name);
}

void
print_begin(FILE *f)
{
	fputs("<?xml version=\"1.0\"?>\n<", f);
	fputs(sch_root.name, f);
	print_attrs(f, &sch_root, NULL, 0, false);
	fputs(">\n", f);
}

void
print_end(FILE *f)
{
	fprintf(f, "</%s>\n", sch_root.name);
}

void
print_obj(FILE *f, const struct db_obj *o, bool keys)
{
	const struct sch_elem *el = sch_obj_elem(o->type);

	if (el != NULL)
		print_elem(f, el, &o->u, 0, keys, 1);
}
