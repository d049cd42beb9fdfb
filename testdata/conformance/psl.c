/*
 * psl.c: Organizational Domain conformance (argv[1] = shared dir).
 *
 * conformance/dmarc/psl/tests.txt (publicsuffix/list tests, two
 * columns: input and expected registrable domain, "null" for none) run
 * through orgdomain_of() with the list that ships beside the tests
 * (psl_load_file): floor 100 %. The same cases against libpsl's built-in
 * list and against psl_latest() (the default) are reported, not
 * required: those lists are older than the tests.
 *
 * Prints one metric per line ("name value"); exits 1 below the floor.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/orgdomain.h"

struct tcase {
	char *in, *want; /* NULL for "null" */
};

static struct tcase *cases;
static size_t ncases;

static int
load(const char *path)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	ssize_t r;
	while ((r = getline(&line, &cap, fp)) > 0) {
		char *save = NULL;
		char *a = strtok_r(line, " \t\r\n", &save);
		if (!a || strncmp(a, "//", 2) == 0)
			continue;
		char *b = strtok_r(NULL, " \t\r\n", &save);
		if (!b)
			continue;
		cases = xrealloc(cases, (ncases + 1) * sizeof(*cases));
		cases[ncases].in = strcmp(a, "null") ? strdup(a) : NULL;
		cases[ncases].want = strcmp(b, "null") ? strdup(b) : NULL;
		ncases++;
	}
	free(line);
	fclose(fp);
	return 0;
}

/* Run every case against the current list; returns the passes. */
static size_t
run(struct arena *a, const char *label, bool verbose)
{
	size_t ok = 0;
	for (size_t i = 0; i < ncases; i++) {
		arena_reset(a);
		struct str got = STR_NULL;
		if (cases[i].in)
			got = orgdomain_of(
			    a, str_make(cases[i].in, strlen(cases[i].in)));
		bool pass =
		    cases[i].want
		        ? got.n && str_eq(got, str_make(cases[i].want,
		                                        strlen(cases[i].want)))
		        : got.n == 0;
		if (pass)
			ok++;
		else if (verbose)
			printf("# %s FAIL %s: got %.*s want %s\n", label,
			       cases[i].in ? cases[i].in : "null",
			       got.n ? (int)got.n : 4, got.n ? got.p : "null",
			       cases[i].want ? cases[i].want : "null");
	}
	return ok;
}

int
main(int argc, char **argv)
{
	const char *shared = argc > 1 ? argv[1] : "../shared";
	char path[4096];
	snprintf(path, sizeof(path), "%s/conformance/dmarc/psl/tests.txt",
	         shared);
	if (load(path) < 0) {
		fprintf(stderr, "psl: cannot read %s\n", path);
		return 1;
	}
	struct arena *a = arena_new();
	snprintf(path, sizeof(path),
	         "%s/conformance/dmarc/psl/public_suffix_list.dat", shared);
	int fails = 0;
	if (orgdomain_use_file(path) < 0) {
		fprintf(stderr, "psl: cannot load %s\n", path);
		fails++;
	}
	size_t ok_file = fails ? 0 : run(a, "file", true);
	orgdomain_use_builtin();
	size_t ok_builtin = run(a, "builtin", true);
	orgdomain_free(); /* next lookup loads the default */
	size_t ok_latest = run(a, "latest", false);
	printf("psl.cases %zu\n", ncases);
	printf("psl.file.ok %zu\n", ok_file);
	printf("psl.file.pct %.2f\n",
	       ncases ? 100.0 * (double)ok_file / (double)ncases : 0.0);
	printf("psl.builtin.ok %zu\n", ok_builtin);
	printf("psl.builtin.pct %.2f\n",
	       ncases ? 100.0 * (double)ok_builtin / (double)ncases : 0.0);
	printf("psl.latest.source %s\n", orgdomain_source());
	printf("psl.latest.ok %zu\n", ok_latest);
	if (ok_file != ncases || ncases == 0)
		fails++;
	printf("psl.result %s\n", fails ? "FAIL" : "PASS");
	for (size_t i = 0; i < ncases; i++) {
		free(cases[i].in);
		free(cases[i].want);
	}
	free(cases);
	orgdomain_free();
	arena_free(a);
	return fails ? 1 : 0;
}
