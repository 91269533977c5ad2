/* cli/ikedb/dtd.c: schema table -> DTD. */
#include "dtd.h"

#include "schema.h"
#include "value.h"

static const char *
quantifier(unsigned min, unsigned max)
{
	if (max <= 1)
		return min == 0 ? "?" : "";
	return min == 0 ? "*" : "+";
}

static void
content_model(FILE *f, const struct sch_elem *el)
{
	size_t i;

	if (el->model == SM_EMPTY) {
		fputs("EMPTY", f);
		return;
	}
	fputc('(', f);
	for (i = 0; i < el->nchildren; i++) {
		const struct sch_child *ch = &el->children[i];

		if (el->model == SM_SEQ)
			fprintf(f, "%s%s%s", i ? ", " : "", ch->elem->name,
			    quantifier(ch->min, ch->max));
		else
			fprintf(f, "%s%s", i ? "|" : "", ch->elem->name);
	}
	fputc(')', f);
	if (el->model == SM_CHOICE)
		fputs(quantifier(el->cmin, el->cmax), f);
}

static void
attr_decl(FILE *f, const struct sch_attr *a)
{
	char list[VAL_MAX];

	fprintf(f, "\n  %s ", a->name);
	if (a->kind == SK_FIXED) {
		fprintf(f, "CDATA #FIXED \"%s\"", a->def);
		return;
	}
	if (val_enum_list(a, "|", list, sizeof(list)) > 0)
		fprintf(f, "(%s)", list);
	else
		fputs("CDATA", f);
	fputs((a->flags & SA_REQ) ? " #REQUIRED" : " #IMPLIED", f);
}

static void
comment(FILE *f, const struct sch_elem *el)
{
	size_t i;
	int n = 0;

	fprintf(f, "\n<!-- %s: %s.", el->name, el->doc);
	for (i = 0; i < el->nattrs; i++) {
		const struct sch_attr *a = &el->attrs[i];

		if (a->def == NULL || a->kind == SK_FIXED)
			continue;
		fprintf(f, "%s%s=\"%s\"", n++ ? " " : "\n     Defaults: ",
		    a->name, a->def);
	}
	fputs(" -->\n", f);
}

static void
elem_decl(const struct sch_elem *el, void *arg)
{
	FILE *f = arg;
	size_t i;

	comment(f, el);
	fprintf(f, "<!ELEMENT %s ", el->name);
	content_model(f, el);
	fputs(">\n", f);
	if (el->nattrs == 0)
		return;
	fprintf(f, "<!ATTLIST %s", el->name);
	for (i = 0; i < el->nattrs; i++)
		attr_decl(f, &el->attrs[i]);
	fputs(">\n", f);
}

void
dtd_print(FILE *f)
{
	fputs("<!-- The tunnel-definition format of ikedb (docs/ikedb-xml.md),\n"
	    "     generated from the table ikedb validates with.  ikedb reads\n"
	    "     attribute values in any case and accepts some AIX\n"
	    "     synonyms; it writes the spellings listed here. -->\n", f);
	sch_walk(elem_decl, f);
}
