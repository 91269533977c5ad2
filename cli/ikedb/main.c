/* cli/ikedb/main.c: the ikedb command (docs/ikedb-xml.md):
 *
 *	ikedb -p[F][s] [-e entityfile] [file]
 *	ikedb -g[r] [-k] [-t type [-n name | -i id -y idtype]]
 *	ikedb -d -t type [-n name | -i id -y idtype]
 *	ikedb -x
 *	ikedb -o
 *
 * Exit status 0 on success, 1 for the user's error (bad arguments, a bad
 * file, an object that is missing, exists or is still referenced), 2 for
 * a system error (the database cannot be read or written, standard output
 * cannot be written).  Each failure is one line on standard error,
 * "ikedb: " and the cause; a bad file's is "file:line: element:
 * attribute="value": what is wrong".
 *
 * The database is ike_path_db() ($IKE_DB or /var/lib/ike).  -p, -d and
 * -x create it if it is missing; -g reads a missing database as an empty
 * one (it prints an empty document, and a selection by name or identity
 * finds nothing). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "core/paths.h"
#include "core/secmem.h"
#include "db/db.h"
#include "dtd.h"
#include "input.h"
#include "ops.h"
#include "parse.h"

#define ERRLEN	1024

struct args {
	char		 mode;		/* p g d x o */
	bool		 force, swap, recursive, keys;
	char		 bad;		/* the unknown option */
	const char	*entfile, *file, *type, *name, *id, *idtype;
};

static void
usage(void)
{
	fputs("usage: ikedb -p[F][s] [-e entityfile] [file]\n"
	    "       ikedb -g[r] [-k] [-t type [-n name | -i id -y idtype]]\n"
	    "       ikedb -d -t type [-n name | -i id -y idtype]\n"
	    "       ikedb -x\n"
	    "       ikedb -o\n"
	    "types: IKEProtection IKETunnel IKEPresharedKey IKEGroup "
	    "IPSecProposal\n"
	    "       IPSecProtection IPSecTunnel\n", stderr);
}

static int
usage_error(const char *msg)
{
	fprintf(stderr, "ikedb: %s\n", msg);
	usage();
	return OPS_USER;
}

static int
set_mode(struct args *a, char m)
{
	if (a->mode != 0 && a->mode != m)
		return -1;
	a->mode = m;
	return 0;
}

/* Reads the options into *a; 0, or -1 after a getopt message. */
static int
read_opts(int argc, char **argv, struct args *a)
{
	int ch;

	opterr = 0;	/* our message names the option */
	while ((ch = getopt(argc, argv, "pFsgrkdxoe:t:n:i:y:")) != -1) {
		switch (ch) {
		case 'p': case 'g': case 'd': case 'x': case 'o':
			if (set_mode(a, (char)ch) != 0)
				return -2;
			break;
		case 'F': a->force = true; break;
		case 's': a->swap = true; break;
		case 'r': a->recursive = true; break;
		case 'k': a->keys = true; break;
		case 'e': a->entfile = optarg; break;
		case 't': a->type = optarg; break;
		case 'n': a->name = optarg; break;
		case 'i': a->id = optarg; break;
		case 'y': a->idtype = optarg; break;
		default: a->bad = (char)optopt; return -1;
		}
	}
	if (optind < argc)
		a->file = argv[optind++];
	return optind < argc ? -3 : 0;
}

/* Which flags each mode takes. */
static const char *
check_combination(const struct args *a)
{
	bool sel = a->type || a->name || a->id || a->idtype;

	if (a->mode == 0)
		return "one of -p, -g, -d, -x, -o is needed";
	if ((a->force || a->swap || a->entfile) && a->mode != 'p')
		return "-F, -s and -e go with -p only";
	if ((a->recursive || a->keys) && a->mode != 'g')
		return "-r and -k go with -g only";
	if (sel && a->mode != 'g' && a->mode != 'd')
		return "-t, -n, -i and -y go with -g and -d only";
	if (a->file != NULL && a->mode != 'p')
		return "a file name goes with -p only";
	if (a->mode == 'd' && a->type == NULL)
		return "-d needs -t";
	if ((a->name || a->id) && a->type == NULL)
		return "-n and -i need -t";
	if (a->name && a->id)
		return "-n and -i exclude each other";
	if (!a->id != !a->idtype)
		return "-i and -y go together";
	return NULL;
}

static int
make_sel(const struct args *a, struct ops_sel *sel)
{
	char err[ERRLEN];

	memset(sel, 0, sizeof(*sel));
	sel->all = a->type == NULL;
	if (sel->all)
		return 0;
	if (db_type_parse(a->type, &sel->type) != 0) {
		snprintf(err, sizeof(err), "-t %s: not a type", a->type);
		return usage_error(err);
	}
	sel->name = a->name;
	if (sel->name != NULL && sel->type == DB_T_PSK)
		return usage_error("an IKEPresharedKey has no name: select it "
		    "with -i and -y");
	if (a->id == NULL)
		return 0;
	if (sel->type != DB_T_PSK && sel->type != DB_T_IKE_TUNNEL &&
	    sel->type != DB_T_IPSEC_TUNNEL)
		return usage_error("-i selects IKEPresharedKey, IKETunnel or "
		    "IPSecTunnel only");
	sel->by_ident = true;
	if (ikedb_parse_ident(a->idtype, a->id, &sel->ident, err,
	    sizeof(err)) != 0)
		return usage_error(err);
	return 0;
}

static int
report(int status, const char *err)
{
	if (status != OPS_OK)
		fprintf(stderr, "ikedb: %s\n", err);
	return status;
}

static int
open_db(unsigned flags, struct db **db, char *err)
{
	int rc = db_open(ike_path_db(), flags, db, err, ERRLEN);

	if (rc == 0)
		return OPS_OK;
	if (err[0] == '\0')
		snprintf(err, ERRLEN, "cannot open the database in %s: %s",
		    ike_path_db(), ike_strerror(rc));
	return OPS_SYS;
}

static int
read_inputs(const struct args *a, char **text, size_t *len, char **ent,
    char *err)
{
	size_t elen;
	int rc;

	*text = *ent = NULL;
	if (a->entfile != NULL &&
	    (rc = ent_read_file(a->entfile, ent, &elen, err, ERRLEN)) != 0)
		return rc == IKE_EINVAL ? OPS_USER : OPS_SYS;
	rc = ent_read_file(a->file != NULL ? a->file : "-", text, len, err,
	    ERRLEN);
	if (rc != 0) {
		if (*ent != NULL)
			secmem_wipe(*ent, strlen(*ent));
		free(*ent);
		*ent = NULL;
		return rc == IKE_EINVAL ? OPS_USER : OPS_SYS;
	}
	return OPS_OK;
}

static void
wipe_free(char *s, size_t len)
{
	if (s != NULL)
		secmem_wipe(s, len);
	free(s);
}

static int
do_put(const struct args *a, char *err)
{
	struct ikedb_parse_opts o = { 0 };
	struct ikedb_doc doc;
	struct db *db = NULL;
	char *text, *ent;
	size_t len;
	int status, rc;

	if ((status = read_inputs(a, &text, &len, &ent, err)) != OPS_OK)
		return status;
	o.name = a->file != NULL && strcmp(a->file, "-") != 0 ? a->file :
	    "(stdin)";
	o.entity_name = a->entfile;
	o.entities = ent;
	rc = ikedb_parse(text, len, &o, &doc, err, ERRLEN);
	wipe_free(text, len);
	wipe_free(ent, ent != NULL ? strlen(ent) : 0);
	if (rc != 0)
		return rc == IKE_EINVAL ? OPS_USER : OPS_SYS;
	if (a->swap)
		status = ops_swap(&doc, err, ERRLEN);
	if (status == OPS_OK)
		status = open_db(DB_OPEN_CREATE, &db, err);
	if (status == OPS_OK)
		status = ops_put(db, &doc, a->force, err, ERRLEN);
	db_close(db);
	ikedb_doc_free(&doc);
	return status;
}

/* Writes the document once it is complete, so that a failure leaves no
 * half a document on standard output. */
static int
do_get(const struct args *a, const struct ops_sel *sel, char *err)
{
	struct db *db = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int status, rc;

	rc = db_open(ike_path_db(), DB_OPEN_RDONLY, &db, err, ERRLEN);
	if (rc != 0 && rc != IKE_ENOTFOUND)
		return open_db(DB_OPEN_RDONLY, &db, err);
	if ((mem = open_memstream(&buf, &len)) == NULL) {
		db_close(db);
		snprintf(err, ERRLEN, "out of memory");
		return OPS_SYS;
	}
	status = ops_get(db, sel, a->recursive, a->keys, mem, err, ERRLEN);
	db_close(db);
	if (fclose(mem) != 0 && status == OPS_OK) {
		snprintf(err, ERRLEN, "out of memory");
		status = OPS_SYS;
	}
	if (status == OPS_OK && fwrite(buf, 1, len, stdout) != len) {
		snprintf(err, ERRLEN, "standard output: %s", strerror(errno));
		status = OPS_SYS;
	}
	wipe_free(buf, len);
	return status;
}

static int
do_db(const struct args *a, const struct ops_sel *sel, char *err)
{
	struct db *db = NULL;
	int status = open_db(DB_OPEN_CREATE, &db, err);

	if (status == OPS_OK)
		status = a->mode == 'x' ? ops_clear(db, err, ERRLEN) :
		    ops_del(db, sel, err, ERRLEN);
	db_close(db);
	return status;
}

static int
finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (status == OPS_OK)	/* else the failure is told already */
			perror("ikedb: standard output");
		return OPS_SYS;
	}
	return status;
}

int
main(int argc, char **argv)
{
	struct args a = { 0 };
	struct ops_sel sel;
	char err[ERRLEN] = "";
	const char *why;
	int rc;

	if ((rc = read_opts(argc, argv, &a)) != 0) {
		if (rc == -1)
			snprintf(err, sizeof(err), "-%c: unknown option or "
			    "missing argument", a.bad);
		return usage_error(rc == -2 ? "only one of -p, -g, -d, -x, -o" :
		    rc == -3 ? "only one file" : err);
	}
	if ((why = check_combination(&a)) != NULL)
		return usage_error(why);
	if ((rc = make_sel(&a, &sel)) != 0)
		return rc;
	switch (a.mode) {
	case 'o':
		dtd_print(stdout);
		return finish(OPS_OK);
	case 'p':
		return report(do_put(&a, err), err);
	case 'g':
		return finish(report(do_get(&a, &sel, err), err));
	default:
		return report(do_db(&a, &sel, err), err);
	}
}
