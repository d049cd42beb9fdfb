/*
 * replay.c: a plain main() for the libFuzzer targets, so that a gcc build
 * replays every seed and every past crash in `make check`. Arguments are
 * directories (each file in it is one input) or files. Prints TAP.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int n;

static void
run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		printf("not ok %d - cannot open %s\n", ++n, path);
		return;
	}
	size_t cap = 1 << 16, len = 0;
	uint8_t *buf = malloc(cap);
	size_t r;
	while (buf && (r = fread(buf + len, 1, cap - len, fp)) > 0) {
		len += r;
		if (len == cap) {
			cap *= 2;
			uint8_t *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	fclose(fp);
	if (!buf) {
		printf("not ok %d - out of memory on %s\n", ++n, path);
		return;
	}
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	printf("ok %d - %s\n", ++n, path);
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char **names = NULL;
	size_t k = 0;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = realloc(names, (k + 1) * sizeof(*names));
		size_t l = strlen(dir) + strlen(e->d_name) + 2;
		names[k] = malloc(l);
		snprintf(names[k++], l, "%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (k)
		qsort(names, k, sizeof(*names), cmp);
	for (size_t i = 0; i < k; i++) {
		struct stat st;
		if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode))
			run_dir(names[i]);
		else
			run_file(names[i]);
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			run_dir(argv[i]);
		else if (stat(argv[i], &st) == 0)
			run_file(argv[i]);
	}
	printf("1..%d\n", n);
	return 0;
}
