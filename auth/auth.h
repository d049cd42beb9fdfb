/*
 * auth.h: offline authentication along the path: who checked what where
 * (SPF, DKIM, DMARC, ARC evidence), and where it breaks.
 * The result is arena-owned.
 */
#ifndef AUTH_AUTH_H
#define AUTH_AUTH_H

#include "parse/arena.h"
#include "parse/finding.h"
#include "parse/header.h"
#include "parse/message.h"
#include "trace/path.h"
#include "trace/trace.h"

struct auth;

/* body: the message body bytes (for DKIM body hashes). */
struct auth *auth_analyze(const struct trace_config *c,
			  const struct header_block *hb,
			  const struct message_info *mi, struct str body,
			  const struct path *p, const struct trace *t,
			  struct arena *a, struct findings *f);

#endif
