/* dynlib.c: libraries loaded on first need, see dynlib.h. */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
failed(const char *soname, const char *why, void (*error)(const char *))
{
	char msg[512];
	snprintf(msg, sizeof(msg), "cannot load %s: %s", soname,
	         why ? why : "unknown error");
	if (error)
		error(msg);
	abort(); /* the handler must not return */
}

void
dynlib_load(const char *soname, const struct dynlib_sym *syms, size_t n,
            void (*error)(const char *why))
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		failed(soname, dlerror(), error);
	for (size_t i = 0; i < n; i++) {
		void *f = dlsym(h, syms[i].name);
		if (!f)
			failed(soname, dlerror(), error);
		/* memcpy: POSIX's way from dlsym's void * to a function
		 * pointer */
		memcpy(syms[i].fn, &f, sizeof(f));
	}
}
