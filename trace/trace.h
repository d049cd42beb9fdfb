/*
 * trace.h: the model. Hops grouped into Actors, roles, networks, the
 * trust boundary, the origin, and the shorthand notation
 * (shared spec: roles-and-notation.md).
 *
 * trace_config holds what the user told us (--trusted, --authserv-id,
 * --same-actor, config files); it is built once and read by every
 * message. trace_build runs per message; its result is arena-owned.
 */
#ifndef TRACE_TRACE_H
#define TRACE_TRACE_H

#include <stddef.h>

#include "parse/arena.h"
#include "parse/finding.h"
#include "parse/header.h"
#include "parse/message.h"
#include "trace/path.h"

struct trace_config;
struct trace;

struct trace_config *trace_config_new(void);
void trace_config_free(struct trace_config *c);
/* Each returns 0, or -1 when the argument is malformed (cmd/ reports it
 * as a usage error). */
int trace_config_add_trusted(struct trace_config *c, const char *cidr_or_host);
int trace_config_add_authserv(struct trace_config *c, const char *id);
int trace_config_add_same_actor(struct trace_config *c, const char *a_eq_b);
/* Equivalence table text (one group per line, "a = b = c", # comments),
 * as read by cmd/ from the bundled data file or a user file. */
int trace_config_load_equivalences(struct trace_config *c, const char *text,
				   size_t len);

/* Build the model for one message: fills hops' actor/role/trusted. */
struct trace *trace_build(const struct trace_config *c,
			  const struct header_block *hb,
			  const struct message_info *mi, struct path *p,
			  struct arena *a, struct findings *f);

#endif
