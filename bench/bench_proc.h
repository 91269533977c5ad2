/* bench/bench_proc.h: what the daemon benchmark needs from the system:
 * a scratch directory, child processes, and a process's CPU time and
 * resident memory from /proc. */
#ifndef IKE_BENCH_PROC_H
#define IKE_BENCH_PROC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define BP_PATH	512

uint64_t bp_mono_ns(void);
/* Creates /tmp/ike-bench-XXXXXX (TMPDIR if set) into dir; 0 or -1. */
int	bp_scratch(char *dir, size_t len);
/* Removes the directory and what it holds (one level of subdirectories
 * is enough for the daemon's files); errors are ignored. */
void	bp_rmtree(const char *dir);
/* Writes text to path; 0 or -1. */
int	bp_write(const char *path, const char *text);
/* Starts argv[0] with env added to the environment, stdin from
 * stdin_text (NULL: /dev/null), stdout into *out (NULL: discarded;
 * else malloc'ed, the caller frees) and stderr to errlog (NULL: ours),
 * and waits for it.  Its exit status, or -1. */
int	bp_run(const char *const *argv, const char *const *env,
	    const char *stdin_text, char **out, const char *errlog);
/* Starts argv[0] in the background, stderr to errlog; its pid or -1. */
pid_t	bp_spawn(const char *const *argv, const char *errlog);
/* SIGTERM, then SIGKILL after 5 s; reaps it. */
void	bp_stop(pid_t);
/* utime + stime of pid in seconds, or -1. */
double	bp_cpu_s(pid_t);
/* VmRSS of pid in KiB, or -1. */
long	bp_rss_kib(pid_t);

#endif
