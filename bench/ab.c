/*
 * ab.c: compare the wall time of two builds, for `make bench-ab`. On a
 * noisy machine (a small VM whose speed moves by 10 % from one minute to
 * the next) two separate benchmark runs cannot tell a 2 % change; runs
 * of A and B taken in pairs, the order alternating, can: the median of
 * the pairs' ratios B/A leaves out the drift both saw.
 *
 *   ab [-n PAIRS] A B [ARG...]
 *
 * Runs the programs A and B, each with ARG..., PAIRS times (default
 * 100), standard output and error to /dev/null. Prints the median, mean
 * and best wall time of each in ms, and the median of the ratios B/A
 * (below 1: B is faster). Exit status 1 when a run fails.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timing.h"

/* Median of v[0..n), which it sorts; its mean and least in *mean, *best. */
static double
stats(double *v, int n, double *mean, double *best)
{
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += v[i];
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	*mean = sum / n;
	*best = v[0];
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int
main(int argc, char **argv)
{
	int pairs = 100, i = 1;
	if (i + 1 < argc && strcmp(argv[i], "-n") == 0) {
		pairs = atoi(argv[i + 1]);
		i += 2;
	}
	if (argc - i < 2 || pairs < 1) {
		fprintf(stderr, "usage: ab [-n PAIRS] A B [ARG...]\n");
		return 2;
	}
	char *a = argv[i], *b = argv[i + 1];
	char **args = &argv[i + 1]; /* args[0] is set to the program run */
	double *ta = malloc((size_t)pairs * sizeof(*ta));
	double *tb = malloc((size_t)pairs * sizeof(*tb));
	double *ratio = malloc((size_t)pairs * sizeof(*ratio));
	if (!ta || !tb || !ratio)
		return 1;
	for (int k = 0; k < pairs; k++) {
		for (int j = 0; j < 2; j++) { /* A first in even pairs */
			bool first_a = (k % 2 == 0) == (j == 0);
			args[0] = first_a ? a : b;
			double t = timed_run(args, NULL, true, NULL);
			if (t < 0)
				return 1;
			*(first_a ? &ta[k] : &tb[k]) = t * 1e3; /* ms */
		}
		ratio[k] = tb[k] / ta[k];
	}
	double ma, mb, ba, bb, mr, unused;
	double meda = stats(ta, pairs, &ma, &ba);
	double medb = stats(tb, pairs, &mb, &bb);
	mr = stats(ratio, pairs, &unused, &unused);
	printf("A %s: median %.2f ms, mean %.2f, best %.2f\n", a, meda, ma, ba);
	printf("B %s: median %.2f ms, mean %.2f, best %.2f\n", b, medb, mb, bb);
	printf("B/A: median of %d paired ratios %.3f\n", pairs, mr);
	return 0;
}
