/* cli/ikedb/parse.h: reads a definition file (docs/ikedb-xml.md) with
 * expat into model.h records, validating it against the schema table.
 * Nothing here touches the database: references to objects not in the
 * file are checked later, inside the put transaction. */
#ifndef IKEDB_PARSE_H
#define IKEDB_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "db/db.h"

/* Where an attribute that needs a later check was written: a reference
 * to another object, or an IKEv2-only attribute of an element whose IKE
 * version is only known from the objects it refers to. */
#define NOTE_NEEDS_V2	(-1)	/* to_type of an IKEv2-only attribute */

struct ikedb_note {
	const char	*file;		/* borrowed from the document */
	unsigned	 line;
	const char	*elem;		/* static, from the schema */
	const char	*attr;		/* static, from the schema */
	int		 to_type;	/* enum db_type, or NOTE_NEEDS_V2 */
	char		 value[DB_IDVAL_MAX];
};

/* One object of the file. */
struct ikedb_item {
	struct db_obj	 obj;		/* secret (a preshared key): wiped */
	char		 key[DB_KEY_MAX];	/* db_obj_key() */
	const char	*file;		/* borrowed from the document */
	unsigned	 line;		/* of its start tag */
	bool		 keep_key;	/* IKEPresharedKey Value="*" */
	struct ikedb_note *notes;	/* owned */
	size_t		 nnotes;
};

struct ikedb_doc {
	struct ikedb_item **items;	/* owned, file order */
	size_t		 nitems;
	char		**files;	/* owned: names used in messages */
	size_t		 nfiles;
};

struct ikedb_parse_opts {
	const char	*name;		/* the file's name in messages */
	const char	*entity_name;	/* -e file, or NULL */
	const char	*entities;	/* its contents (NUL-ended), or NULL */
};

/* Parses len bytes of buf.  On success fills *doc (free it with
 * ikedb_doc_free()).  On failure returns IKE_EINVAL (the input is wrong)
 * or IKE_ENOMEM/IKE_ESYS, writes one message, "file:line: element:
 * attribute="value": what is wrong", to err, and leaves *doc empty. */
int	ikedb_parse(const char *buf, size_t len,
	    const struct ikedb_parse_opts *, struct ikedb_doc *doc,
	    char *err, size_t errlen);

/* Frees the items and wipes their keys.  NULL is fine. */
void	ikedb_doc_free(struct ikedb_doc *);

/* Parses an identity given on the command line (-i value -y type);
 * value2 of a subnet or a range follows a comma ("10.0.0.0,255.0.0.0").
 * IKE_EINVAL with a message in err if it is not valid. */
int	ikedb_parse_ident(const char *type, const char *value,
	    struct db_ident *out, char *err, size_t errlen);

/* Formats "file:line: elem: attr="value": " + msg into err, the common
 * message form; attr and value may be NULL. */
void	ikedb_format_err(char *err, size_t errlen, const char *file,
	    unsigned line, const char *elem, const char *attr,
	    const char *value, const char *msg);

#endif
