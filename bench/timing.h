/*
 * timing.h: what bench/measure.c and bench/ab.c share, one timed run of
 * a command. Header-only: each tool is one file built by a cc line.
 */
#ifndef BENCH_TIMING_H
#define BENCH_TIMING_H

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Run cmd (cmd[0] looked up in PATH) with standard output to /dev/null,
 * standard input from the file in (NULL: inherited) and, when quiet,
 * standard error to /dev/null. Its wall time in seconds, its peak RSS in
 * KiB in *maxrss when not NULL; -1 (said on standard error) when it
 * could not run or exited with a status above 1 (1: findings). */
static double
timed_run(char **cmd, const char *in, bool quiet, long *maxrss)
{
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return -1;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		if (fd < 0 || dup2(fd, 1) < 0 || (quiet && dup2(fd, 2) < 0))
			_exit(127);
		if (in) {
			int ifd = open(in, O_RDONLY);
			if (ifd < 0 || dup2(ifd, 0) < 0)
				_exit(127);
		}
		execvp(cmd[0], cmd);
		_exit(127);
	}
	int st;
	struct rusage ru;
	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("wait4");
		return -1;
	}
	double t = now() - t0;
	if (maxrss)
		*maxrss = ru.ru_maxrss;
	if (!WIFEXITED(st) || WEXITSTATUS(st) > 1) {
		fprintf(stderr, "%s failed (status %d)\n", cmd[0], st);
		return -1;
	}
	return t;
}

#endif
