/*
 * arc.c: ARC sets grouped by instance, judged from their structure
 * (RFC 8617 §5.1.1, §5.2). No crypto here: see arc.h.
 */
#include "arc.h"

#include <string.h>

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* i= as 1*DIGIT; -1 when absent, empty, not all digits or absurd. The
 * range 1..ARC_MAX_INSTANCE is checked by the chain, not here. */
static long
instance_of(const struct tag_list *t)
{
	bool present;
	struct str v = tags_get(t, "i", &present);
	if (!present || v.n == 0 || v.n > 5)
		return -1;
	long n = 0;
	for (size_t k = 0; k < v.n; k++) {
		if (!is_digit((unsigned char)v.p[k]))
			return -1;
		n = n * 10 + (v.p[k] - '0');
	}
	return n;
}

/* First tag of the space-separated list req that is absent, or present
 * but empty when it is not in may_be_empty. */
static const char *
first_missing(const struct tag_list *t, const char *const *req,
              const char *may_be_empty)
{
	for (size_t k = 0; req[k]; k++) {
		bool present;
		struct str v = tags_get(t, req[k], &present);
		if (!present || (v.n == 0 && strcmp(req[k], may_be_empty) != 0))
			return req[k];
	}
	return NULL;
}

static int
parse_sig(struct str value, struct arena *a, struct arc_sig *out,
          const char *const *req, const char *may_be_empty)
{
	memset(out, 0, sizeof(*out));
	out->value = value;
	out->header = -1;
	out->tags_status = tags_parse(value, a, &out->tags);
	out->instance = instance_of(&out->tags);
	out->missing = first_missing(&out->tags, req, may_be_empty);
	return out->tags_status;
}

int
arc_parse_seal(struct str value, struct arena *a, struct arc_sig *out)
{
	static const char *const req[] = {"i", "a", "b", "d", "s", "cv", NULL};
	int st = parse_sig(value, a, out, req, "");
	struct str cv = tags_get(&out->tags, "cv", NULL);
	/* RFC 8617 §4.1.3: cv values are case-insensitive keywords */
	out->cv = str_ieq(cv, "none")   ? ARC_CV_NONE
	          : str_ieq(cv, "pass") ? ARC_CV_PASS
	          : str_ieq(cv, "fail") ? ARC_CV_FAIL
	                                : ARC_CV_MISSING;
	return st;
}

int
arc_parse_ams(struct str value, struct arena *a, struct arc_sig *out)
{
	/* h= may be empty (the suite's ams_fields_h_empty passes) */
	static const char *const req[] = {"i", "a", "b", "bh",
	                                  "d", "h", "s", NULL};
	return parse_sig(value, a, out, req, "h");
}

void
arc_chain_init(struct arc_chain *c, struct arena *a)
{
	memset(c, 0, sizeof(*c));
	c->arena = a;
}

static const char *const kind_names[] = {
    "ARC-Authentication-Results",
    "ARC-Message-Signature",
    "ARC-Seal",
};

static void
broken(struct arc_chain *c, const char *reason)
{
	if (!c->broken)
		c->reason = reason;
	c->broken = true;
}

/* A field whose instance could not be placed. */
static void
bad_instance(struct arc_chain *c, enum arc_kind k, long i)
{
	if (i < 0)
		broken(c, arena_printf(c->arena, "%s without a valid i= tag",
		                       kind_names[k]));
	else
		broken(c, arena_printf(c->arena,
		                       "%s i=%ld outside 1..%d (RFC 8617 "
		                       "§4.2.1)",
		                       kind_names[k], i, ARC_MAX_INSTANCE));
}

static void
add_sig(struct arc_chain *c, enum arc_kind k, struct str value, int header)
{
	struct arc_sig *s = arena_alloc(c->arena, sizeof(*s));
	int st = k == ARC_KIND_AS ? arc_parse_seal(value, c->arena, s)
	                          : arc_parse_ams(value, c->arena, s);
	s->header = header;
	long i = s->instance;
	if (i < 1 || i > ARC_MAX_INSTANCE) {
		bad_instance(c, k, i);
		return;
	}
	struct arc_sig **slot =
	    k == ARC_KIND_AS ? &c->sets[i].as : &c->sets[i].ams;
	if (*slot) {
		broken(c, arena_printf(c->arena, "duplicate %s for i=%ld",
		                       kind_names[k], i));
		return;
	}
	*slot = s;
	if (i > c->max_instance)
		c->max_instance = i;
	if (st != TAGS_OK)
		broken(c, arena_printf(c->arena, "%s i=%ld: %s", kind_names[k],
		                       i, tags_strerror(st)));
	else if (s->tags.empty_spec)
		broken(c, arena_printf(c->arena,
		                       "%s i=%ld: empty tag-spec (\";;\")",
		                       kind_names[k], i));
	else if (s->missing)
		broken(c, arena_printf(c->arena,
		                       "%s i=%ld: tag %s= missing or empty",
		                       kind_names[k], i, s->missing));
	else if (k == ARC_KIND_AS && tags_get(&s->tags, "h", NULL).p)
		broken(c, arena_printf(c->arena,
		                       "ARC-Seal i=%ld carries h= (RFC 8617 "
		                       "§4.1.3 forbids it)",
		                       i));
}

static void
add_aar(struct arc_chain *c, struct str value, int header)
{
	struct authres *ar = arena_alloc(c->arena, sizeof(*ar));
	/* The AAR payload is informational: only its instance is
	 * structural, so the rest is read relaxed. */
	authres_parse(value, AUTHRES_F_ARC | AUTHRES_F_RELAXED | AUTHRES_F_INTL,
	              c->arena, NULL, header, ar);
	long i = (ar->lenient & AUTHRES_L_NO_INSTANCE) ? -1 : ar->instance;
	if (i < 1 || i > ARC_MAX_INSTANCE) {
		bad_instance(c, ARC_KIND_AAR, i);
		return;
	}
	if (c->sets[i].aar) {
		broken(c, arena_printf(c->arena,
		                       "duplicate ARC-Authentication-Results "
		                       "for i=%ld",
		                       i));
		return;
	}
	c->sets[i].aar = ar;
	c->sets[i].aar_header = header;
	if (i > c->max_instance)
		c->max_instance = i;
}

void
arc_chain_add(struct arc_chain *c, enum arc_kind k, struct str value,
              int header)
{
	if (++c->nfields > ARC_MAX_FIELDS) {
		c->truncated = true;
		broken(c, "more ARC fields than ARC_MAX_FIELDS");
		return;
	}
	if (k == ARC_KIND_AAR)
		add_aar(c, value, header);
	else
		add_sig(c, k, value, header);
}

/* Completeness and the cv= sequence over 1..max_instance. */
static void
check_sets(struct arc_chain *c)
{
	for (long i = 1; i <= c->max_instance && !c->broken; i++) {
		const struct arc_set *s = &c->sets[i];
		if (!s->as && !s->ams && !s->aar) {
			broken(c, arena_printf(c->arena,
			                       "gap: no ARC set for i=%ld "
			                       "(highest is %ld)",
			                       i, c->max_instance));
			break;
		}
		enum arc_kind miss = !s->aar   ? ARC_KIND_AAR
		                     : !s->ams ? ARC_KIND_AMS
		                               : ARC_KIND_AS;
		if (!s->aar || !s->ams || !s->as) {
			broken(c, arena_printf(c->arena,
			                       "ARC set i=%ld lacks its %s", i,
			                       kind_names[miss]));
			break;
		}
		enum arc_cv want = i == 1 ? ARC_CV_NONE : ARC_CV_PASS;
		if (s->as->cv == ARC_CV_FAIL)
			continue; /* judged as ARC_FAIL below */
		if (s->as->cv != want)
			broken(c, arena_printf(
			              c->arena,
			              "ARC-Seal i=%ld has cv=%s, must be "
			              "%s (RFC 8617 §5.1.1)",
			              i,
			              s->as->cv == ARC_CV_MISSING ? "(missing)"
			              : s->as->cv == ARC_CV_NONE  ? "none"
			                                          : "pass",
			              want == ARC_CV_NONE ? "none" : "pass"));
	}
}

enum arc_result
arc_chain_validate(struct arc_chain *c, struct findings *f)
{
	if (c->nfields == 0) {
		c->result = ARC_NONE;
		c->reason = ARC_NONE_REASON;
		return c->result;
	}
	check_sets(c);
	long failed = 0;
	for (long i = 1; i <= c->max_instance; i++)
		if (c->sets[i].as && c->sets[i].as->cv == ARC_CV_FAIL)
			failed = i;
	if (failed) {
		/* §5.2 step 2: a sealer said the chain had failed; that
		 * verdict stands whatever else is wrong. */
		c->result = ARC_FAIL;
		c->reason = arena_printf(c->arena, "ARC-Seal i=%ld has cv=fail",
		                         failed);
	} else if (c->broken) {
		c->result = ARC_STRUCTURE_FAIL;
	} else {
		c->result = ARC_PASS;
		c->reason = "structure valid (signatures not verified)";
	}
	if (f && c->truncated)
		findings_add(f, "arc.truncated", SEV_WARNING, -1, -1,
		             "more than %d ARC header fields; the rest were "
		             "not read",
		             ARC_MAX_FIELDS);
	if (f && c->result == ARC_FAIL)
		findings_add(f, "arc.chain-fail", SEV_ERROR, -1, -1, "%s",
		             c->reason);
	if (f && c->result == ARC_STRUCTURE_FAIL)
		findings_add(f, "arc.structure", SEV_ERROR, -1, -1, "%s",
		             c->reason);
	return c->result;
}

/* The ARC kind of a field of header kind k, or -1. */
static int
arc_of(enum header_kind k)
{
	switch (k) {
	case HK_ARC_AUTHENTICATION_RESULTS:
		return ARC_KIND_AAR;
	case HK_ARC_MESSAGE_SIGNATURE:
		return ARC_KIND_AMS;
	case HK_ARC_SEAL:
		return ARC_KIND_AS;
	default:
		return -1;
	}
}

int
arc_kind(struct str name)
{
	return arc_of(header_name_kind(str_trim(name)));
}

bool
arc_any(const struct header_block *hb)
{
	return hb->first[HK_ARC_SEAL] >= 0 ||
	       hb->first[HK_ARC_MESSAGE_SIGNATURE] >= 0 ||
	       hb->first[HK_ARC_AUTHENTICATION_RESULTS] >= 0;
}

enum arc_result
arc_collect(const struct header_block *hb, struct arena *a, struct findings *f,
            struct arc_chain *out)
{
	arc_chain_init(out, a);
	/* ARC fields are trace headers: on headers_split's trace chain */
	for (int k = hb->trace; k >= 0; k = hb->v[k].next) {
		int kind = arc_of((enum header_kind)hb->v[k].kind);
		if (kind >= 0)
			arc_chain_add(out, (enum arc_kind)kind, hb->v[k].value,
			              k);
	}
	return arc_chain_validate(out, f);
}

const char *
arc_result_name(enum arc_result r)
{
	switch (r) {
	case ARC_NONE:
		return "none";
	case ARC_PASS:
		return "pass";
	case ARC_FAIL:
		return "fail";
	case ARC_STRUCTURE_FAIL:
		return "structure-fail";
	}
	return "none";
}
