/* options.c: command line and configuration files, see options.h. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse/arena.h"
#include "parse/message.h"

#define VERSION "0.1.0"

/* trace/equivalences.conf, compiled in (Makefile, testdata/embed.sh) */
extern const char trace_equiv_default[];
extern const size_t trace_equiv_default_len;

/* A configuration line longer than this is not configuration. */
#define CONFIG_LINE_MAX 4096

static const char usage_text[] =
    "usage: relaytrace [options] [file ...]\n"
    "Rebuild a message's relay path from its Received lines, map it onto\n"
    "the Actors and roles of the mail system, and show where email\n"
    "authentication holds and breaks. Files are messages (.eml) or mboxes;\n"
    "none or \"-\" reads standard input. Offline: nothing is looked up.\n"
    "\n"
    "  -f, --format FMT      text (default), json, jsonl, notation\n"
    "      --color WHEN      auto (default), always, never; NO_COLOR is "
    "honoured\n"
    "      --fail-on LEVEL   exit 1 when a finding is at or above LEVEL\n"
    "                        (info, warning, error)\n"
    "      --trusted NET     a recipient-side host: CIDR, IP or host name\n"
    "                        (repeatable)\n"
    "      --authserv-id ID  the recipient side's authserv-id (repeatable)\n"
    "      --same-actor A=B  domains A and B are one Actor (repeatable)\n"
    "      --config FILE     read FILE instead of the default "
    "configuration\n"
    "      --no-config       read no configuration file\n"
    "  -j, --jobs N          analyse with N threads (default: one per\n"
    "                        processor, at most 16); output keeps the\n"
    "                        input's order\n"
    "  -h, --help            this help\n"
    "  -V, --version         the version, and how GMime is linked\n"
    "\n"
    "Exit status: 0 analysed, 1 a finding at or above --fail-on, 2 usage,\n"
    "3 unreadable input or not a message, 4 system error.\n"
    "Configuration: /etc/relaytrace.conf, then ~/.config/relaytrace/config\n"
    "(lines \"trusted NET\", \"authserv-id ID\", \"same-actor A=B\",\n"
    "\"format FMT\", \"color WHEN\", \"fail-on LEVEL\", \"jobs N\"). See "
    "relaytrace(1).\n";

enum {
	OPT_COLOR = 256,
	OPT_FAIL_ON,
	OPT_TRUSTED,
	OPT_AUTHSERV,
	OPT_SAME_ACTOR,
	OPT_CONFIG,
	OPT_NO_CONFIG,
};

/* -j: more threads than this only wait for the one that reads and
 * writes (it frames 2 GB/s; the analysis runs at ~250 MB/s a thread). */
#define JOBS_MAX 256

static const struct option longopts[] = {
    {"format", required_argument, NULL, 'f'},
    {"color", required_argument, NULL, OPT_COLOR},
    {"colour", required_argument, NULL, OPT_COLOR},
    {"fail-on", required_argument, NULL, OPT_FAIL_ON},
    {"trusted", required_argument, NULL, OPT_TRUSTED},
    {"authserv-id", required_argument, NULL, OPT_AUTHSERV},
    {"same-actor", required_argument, NULL, OPT_SAME_ACTOR},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"no-config", no_argument, NULL, OPT_NO_CONFIG},
    {"jobs", required_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static void
push(struct strlist *l, const char *s)
{
	l->v = xrealloc(l->v, (size_t)(l->n + 1) * sizeof(*l->v));
	size_t n = strlen(s);
	l->v[l->n] = xmalloc(n + 1);
	memcpy(l->v[l->n++], s, n + 1);
}

static void
clear(struct strlist *l)
{
	for (int i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int
bad(const char *where, const char *what, const char *arg)
{
	fprintf(stderr, "relaytrace: %s%s%s: '%s'\n", where ? where : "",
	        where ? ": " : "", what, arg);
	if (!where)
		fputs("Try 'relaytrace --help'.\n", stderr);
	return EXIT_USAGE;
}

/* One setting, from the command line (where == NULL) or a config file
 * line (where = "file:line"). Config values never override the command
 * line. */
static int
setting(struct options *o, const char *key, const char *val, const char *where)
{
	bool cfg = where != NULL;
	if (strcmp(key, "format") == 0) {
		if (cfg && o->set_format)
			return -1;
		static const char *const f[] = {"text", "json", "jsonl",
		                                "notation"};
		for (int i = 0; i < 4; i++)
			if (strcmp(val, f[i]) == 0) {
				o->format = (enum report_format)i;
				o->set_format = !cfg;
				return -1;
			}
		return bad(where, "unknown format", val);
	}
	if (strcmp(key, "color") == 0) {
		if (cfg && o->set_color)
			return -1;
		static const char *const c[] = {"auto", "always", "never"};
		for (int i = 0; i < 3; i++)
			if (strcmp(val, c[i]) == 0) {
				o->color = (enum color_mode)i;
				o->set_color = !cfg;
				return -1;
			}
		return bad(where, "--color takes auto, always or never", val);
	}
	if (strcmp(key, "fail-on") == 0) {
		if (cfg && o->set_fail_on)
			return -1;
		int s = severity_parse(val);
		if (s < 0)
			return bad(where,
			           "unknown level (info, warning, error)", val);
		o->fail_on = s;
		o->set_fail_on = !cfg;
		return -1;
	}
	if (strcmp(key, "jobs") == 0) {
		if (cfg && o->set_jobs)
			return -1;
		char *end;
		errno = 0;
		long n = strtol(val, &end, 10);
		if (errno || end == val || *end || n < 1 || n > JOBS_MAX)
			return bad(where, "--jobs takes a number from 1 to 256",
			           val);
		o->jobs = (int)n;
		o->set_jobs = !cfg;
		return -1;
	}
	return bad(where, "unknown setting", key);
}

static int
parse_args(struct options *o, int argc, char **argv)
{
	int c;
	while ((c = getopt_long(argc, argv, "f:hj:V", longopts, NULL)) != -1) {
		int r = -1;
		switch (c) {
		case 'f':
			r = setting(o, "format", optarg, NULL);
			break;
		case 'j':
			r = setting(o, "jobs", optarg, NULL);
			break;
		case OPT_COLOR:
			r = setting(o, "color", optarg, NULL);
			break;
		case OPT_FAIL_ON:
			r = setting(o, "fail-on", optarg, NULL);
			break;
		case OPT_TRUSTED:
			push(&o->trusted, optarg);
			break;
		case OPT_AUTHSERV:
			push(&o->authserv, optarg);
			break;
		case OPT_SAME_ACTOR:
			push(&o->same_actor, optarg);
			break;
		case OPT_CONFIG:
			o->config_file = optarg;
			break;
		case OPT_NO_CONFIG:
			o->no_config = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		case 'V':
			printf("relaytrace " VERSION "\n%s\n",
			       message_lib_linkage());
			return EXIT_OK;
		default:
			fputs("Try 'relaytrace --help'.\n", stderr);
			return EXIT_USAGE;
		}
		if (r >= 0)
			return r;
	}
	o->files = argv + optind;
	o->nfiles = argc - optind;
	return -1;
}

/* Config lists are used only when the command line gave none. */
struct cfglists {
	struct strlist trusted, authserv, same_actor;
};

static char *
trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
	             s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static int
config_line(struct options *o, struct cfglists *cl, char *line,
            const char *where)
{
	char *s = trim(line);
	if (*s == '\0' || *s == '#')
		return -1;
	char *v = s + strcspn(s, " \t=");
	if (*v)
		*v++ = '\0';
	v = trim(v);
	if (*v == '=')
		v = trim(v + 1);
	if (strcmp(s, "trusted") == 0)
		push(&cl->trusted, v);
	else if (strcmp(s, "authserv-id") == 0)
		push(&cl->authserv, v);
	else if (strcmp(s, "same-actor") == 0)
		push(&cl->same_actor, v);
	else
		return setting(o, s, v, where);
	return -1;
}

/* Read one configuration file; a missing default file is fine. */
static int
config_file(struct options *o, struct cfglists *cl, const char *path,
            bool must_exist)
{
	FILE *fp = fopen(path, "r");
	if (!fp) {
		if (!must_exist && errno == ENOENT)
			return -1;
		fprintf(stderr, "relaytrace: %s: %s\n", path, strerror(errno));
		return EXIT_USAGE;
	}
	char line[CONFIG_LINE_MAX], where[CONFIG_LINE_MAX];
	int r = -1, lineno = 0;
	while (r < 0 && fgets(line, sizeof(line), fp)) {
		lineno++;
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		r = config_line(o, cl, line, where);
	}
	fclose(fp);
	return r;
}

static int
read_configs(struct options *o, struct cfglists *cl)
{
	if (o->no_config)
		return -1;
	if (o->config_file)
		return config_file(o, cl, o->config_file, true);
	int r = config_file(o, cl, "/etc/relaytrace.conf", false);
	const char *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	char path[4096];
	if (xdg && *xdg)
		snprintf(path, sizeof(path), "%s/relaytrace/config", xdg);
	else if (home && *home)
		snprintf(path, sizeof(path), "%s/.config/relaytrace/config",
		         home);
	else
		return r;
	return r >= 0 ? r : config_file(o, cl, path, false);
}

/* Hand the lists to the model's configuration. */
static int
apply(struct options *o, const struct strlist *l,
      int (*add)(struct trace_config *, const char *), const char *what)
{
	for (int i = 0; i < l->n; i++)
		if (add(o->tc, l->v[i]) < 0)
			return bad(NULL, what, l->v[i]);
	return -1;
}

static int
build_config(struct options *o, struct cfglists *cl)
{
	o->tc = trace_config_new();
	trace_config_load_equivalences(o->tc, trace_equiv_default,
	                               trace_equiv_default_len);
	int r = apply(o, o->trusted.n ? &o->trusted : &cl->trusted,
	              trace_config_add_trusted,
	              "--trusted takes a CIDR, an IP or a host name");
	if (r < 0)
		r = apply(o, o->authserv.n ? &o->authserv : &cl->authserv,
		          trace_config_add_authserv, "bad --authserv-id");
	if (r < 0)
		r = apply(o, o->same_actor.n ? &o->same_actor : &cl->same_actor,
		          trace_config_add_same_actor,
		          "--same-actor takes DOMAIN=DOMAIN");
	return r;
}

int
options_parse(struct options *o, int argc, char **argv)
{
	memset(o, 0, sizeof(*o));
	o->fail_on = -1;
	int r = parse_args(o, argc, argv);
	if (r >= 0)
		return r;
	struct cfglists cl = {0};
	r = read_configs(o, &cl);
	if (r < 0)
		r = build_config(o, &cl);
	clear(&cl.trusted);
	clear(&cl.authserv);
	clear(&cl.same_actor);
	return r;
}

void
options_free(struct options *o)
{
	clear(&o->trusted);
	clear(&o->authserv);
	clear(&o->same_actor);
	if (o->tc)
		trace_config_free(o->tc);
}
