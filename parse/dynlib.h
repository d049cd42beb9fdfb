/*
 * dynlib.h: a shared library loaded when a message first needs it
 * (dlopen), rather than linked: GMime (parse/message.c) and libcrypto
 * (auth/dkim.c) cost milliseconds of every start-up linked, and most
 * messages need neither. The callers load once, in a pthread_once.
 */
#ifndef PARSE_DYNLIB_H
#define PARSE_DYNLIB_H

#include <stddef.h>

/* A function to look up: its name, and where to store its address (a
 * pointer to a function pointer of the right type). */
struct dynlib_sym {
	const char *name;
	void *fn;
};

/*
 * Load soname (dlopen: RTLD_NOW, RTLD_LOCAL; never unloaded) and store the
 * address of each of syms[0..n). When the library or a function is
 * missing, error("cannot load SONAME: why") is called, which must not
 * return (NULL: abort).
 */
void dynlib_load(const char *soname, const struct dynlib_sym *syms, size_t n,
                 void (*error)(const char *why));

#endif
