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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timing.h"

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
		long rss;
		t[r] = timed_run(cmd, in, false, &rss);
		if (t[r] < 0)
			return 1;
		if (rss > maxrss)
			maxrss = rss;
	}
	qsort(t, (size_t)runs, sizeof(*t), cmp_double);
	printf("%.6f %.6f %ld\n", t[0], t[runs / 2], maxrss);
	free(t);
	return 0;
}
