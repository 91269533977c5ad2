/* tests/lib/testutil.h: what many tests need: scratch directories and
 * running the project's programs with a chosen environment. */
#ifndef IKE_TESTUTIL_H
#define IKE_TESTUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* Makes a new directory under $TMPDIR (or /tmp); the path is written to
 * buf.  Returns 0 or -1. */
int	tu_mkdtemp(char *buf, size_t len, const char *tag);
/* rm -rf path.  Returns 0 or -1. */
int	tu_rmrf(const char *path);

/* Writes text to path (0600).  Returns 0 or -1. */
int	tu_write_file(const char *path, const char *text);
/* Reads a whole file; caller frees.  NULL on failure. */
char	*tu_read_file(const char *path, size_t *len);

struct tu_run {
	const char *const *argv;	/* argv[0] is a path or a name in PATH */
	const char *const *env;		/* extra NAME=value, NULL-ended; or NULL */
	const char	*stdin_text;	/* fed to standard input; or NULL */
	uid_t		 uid;		/* run as this user when run_as is set */
	gid_t		 gid;
	int		 run_as;
	int		 timeout_s;	/* 0: 30 s; the child is killed after */
};

struct tu_result {
	int	 status;	/* exit status, or 128 + signal, or -1 */
	char	*out;		/* standard output, NUL-ended; free() */
	char	*err;		/* standard error, NUL-ended; free() */
};

/* Runs a program and collects its output.  Returns 0 if it ran. */
int	tu_run(const struct tu_run *, struct tu_result *);
void	tu_result_free(struct tu_result *);

/* Fails the current cmocka test unless got and want hold the same lines,
 * naming the first line that differs. */
void	tu_same_lines(const char *got, const char *want);

/* Path of a built program (isakmpd, ike, ikedb): from the environment
 * variable IKE_BIN_DIR that CMake sets for each test. */
const char *tu_bin(const char *name);

#endif
