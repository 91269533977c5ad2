#include "listfmt.h"

#include <stdarg.h>
#include <string.h>

/* Column widths of the concise form (aix-ike.md section 2.2). */
#define W_PHASE		7
#define W_NUM		8
#define W_STATUS	12
#define W_LOCAL		32

void
listfmt_init(struct listfmt *lf, FILE *out, bool verbose)
{
	lf->out = out;
	lf->verbose = verbose;
	lf->nrows = 0;
}

/* Writes s with control characters replaced; returns bytes written. */
static size_t
put_safe(FILE *f, const char *s)
{
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++, n++) {
		unsigned char c = (unsigned char)*s;

		putc(c < ' ' || c == 0x7f ? '?' : c, f);
	}
	return n;
}

void
listfmt_line(FILE *f, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		putc(c < ' ' || c == 0x7f ? '?' : c, f);
	}
	putc('\n', f);
}

static void
put_col(FILE *f, const char *s, size_t width)
{
	size_t n = put_safe(f, s);

	do
		putc(' ', f);
	while (++n < width);
}

static void
concise_row(struct listfmt *lf, const struct lf_row *r)
{
	char num[16];

	if (lf->nrows == 0)
		fprintf(lf->out, "%s\n", LISTFMT_HEADER);
	snprintf(num, sizeof(num), "%u", r->phase);
	put_col(lf->out, num, W_PHASE);
	snprintf(num, sizeof(num), "%lu", (unsigned long)r->num);
	put_col(lf->out, num, W_NUM);
	put_col(lf->out, r->status, W_STATUS);
	put_col(lf->out, r->local, W_LOCAL);
	put_safe(lf->out, r->remote);
	putc('\n', lf->out);
}

static void
verbose_row(struct listfmt *lf, const struct lf_row *r)
{
	if (lf->nrows > 0)
		putc('\n', lf->out);
	fprintf(lf->out, "Phase: %u\n", r->phase);
	fprintf(lf->out, "Tun Id: %lu\n", (unsigned long)r->num);
	listfmt_kv(lf, "Status", r->status);
	listfmt_kv(lf, "Local Id", r->local);
	listfmt_kv(lf, "Remote Id", r->remote);
}

void
listfmt_row(struct listfmt *lf, const struct lf_row *r)
{
	if (lf->verbose)
		verbose_row(lf, r);
	else
		concise_row(lf, r);
	lf->nrows++;
}

void
listfmt_kv(struct listfmt *lf, const char *label, const char *value)
{
	if (!lf->verbose)
		return;
	put_safe(lf->out, label);
	fputs(": ", lf->out);
	put_safe(lf->out, value);
	putc('\n', lf->out);
}

void
listfmt_kvf(struct listfmt *lf, const char *label, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (!lf->verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	listfmt_kv(lf, label, buf);
}
