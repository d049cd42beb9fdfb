/*
 * options.h: the command line and the configuration files.
 */
#ifndef CMD_OPTIONS_H
#define CMD_OPTIONS_H

#include <stdbool.h>

#include "report/report.h"
#include "trace/trace.h"

/* Exit statuses (man page, EXIT STATUS). */
enum {
	EXIT_OK = 0,       /* analysed */
	EXIT_FINDINGS = 1, /* analysed, a finding at or above --fail-on */
	EXIT_USAGE = 2,    /* bad command line or configuration */
	EXIT_INPUT = 3,    /* unreadable input, or not a message */
	EXIT_SYSTEM = 4,   /* out of memory, write error */
};

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

/* A list option given on the command line replaces the configuration
 * file's list (the command line wins). */
struct strlist {
	char **v;
	int n;
};

struct options {
	enum report_format format;
	enum color_mode color;
	int fail_on; /* severity, or -1 for never */
	int jobs;    /* threads; 0: one per online processor */
	bool no_config;
	const char *config_file; /* --config */
	struct strlist trusted, authserv, same_actor;
	bool set_format, set_color, set_fail_on, set_jobs;
	char **files;
	int nfiles;
	struct trace_config *tc;
};

/* Parse argv; on a usage error print it and return EXIT_USAGE; -1 when
 * the program should go on; EXIT_OK after --help/--version. */
int options_parse(struct options *o, int argc, char **argv);
void options_free(struct options *o);

#endif
