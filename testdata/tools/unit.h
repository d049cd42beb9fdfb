/*
 * unit.h: what the cmocka unit tests share: the headers cmocka needs, one
 * arena and one findings list per test binary, and the group setup and
 * teardown that make them. Include it first in a *_test.c.
 */
#ifndef TESTDATA_UNIT_H
#define TESTDATA_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parse/arena.h"
#include "parse/finding.h"
#include "parse/message.h"
#include "parse/received.h"

static struct arena *A;
static struct findings F;

/* cmocka group setup: one arena for the whole binary */
__attribute__((unused)) static int
unit_setup(void **state)
{
	(void)state;
	A = arena_new();
	findings_init(&F, A);
	return 0;
}

__attribute__((unused)) static int
unit_teardown(void **state)
{
	(void)state;
	arena_free(A);
	return 0;
}

/* The same, for tests that parse Received fields or dates: GMime and the
 * Received parser are initialised once per binary, as cmd/main.c does. */
__attribute__((unused)) static int
unit_setup_parsers(void **state)
{
	message_lib_init(NULL);
	received_init();
	return unit_setup(state);
}

__attribute__((unused)) static int
unit_teardown_parsers(void **state)
{
	unit_teardown(state);
	received_fini();
	message_lib_fini();
	return 0;
}

/* Before each parse: empty the arena and the findings. */
__attribute__((unused)) static void
unit_reset(void)
{
	arena_reset(A);
	findings_init(&F, A);
}

#endif
