/*
 * measure.c: run a command N times and report its wall time (best and
 * median) and peak RSS, for `make bench`. Standard input is the file given
 * with -i (reopened for every run) or inherited (one run only: a pipe);
 * standard output goes to /dev/null.
 *
 *   measure [-n RUNS] [-i FILE] -- COMMAND [ARG...]
 *
 * Prints one line: "best_s median_s maxrss_kib" (maxrss: the largest of
 * the runs, from wait4). Exit status 1 when a run fails.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	int runs = 1, i = 1;
	const char *in = NULL;
	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "-i") == 0 && i + 1 < argc)
			in = argv[++i];
		else {
			fprintf(stderr, "usage: measure [-n RUNS] [-i FILE] -- "
			                "COMMAND [ARG...]\n");
			return 2;
		}
	}
	if (i + 1 >= argc || runs < 1)
		return 2;
	char **cmd = argv + i + 1;
	double *t = calloc((size_t)runs, sizeof(*t));
	long maxrss = 0;
	if (!t)
		return 1;
	for (int r = 0; r < runs; r++) {
		double t0 = now();
		pid_t pid = fork();
		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);
			if (fd < 0 || dup2(fd, 1) < 0)
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
			return 1;
		}
		t[r] = now() - t0;
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
		if (!WIFEXITED(st) || WEXITSTATUS(st) > 1) {
			fprintf(stderr, "measure: %s failed (status %d)\n",
			        cmd[0], st);
			return 1;
		}
	}
	qsort(t, (size_t)runs, sizeof(*t), cmp);
	printf("%.6f %.6f %ld\n", t[0], t[runs / 2], maxrss);
	free(t);
	return 0;
}
