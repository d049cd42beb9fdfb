/*
 * authres.c: Authentication-Results tokenizer (RFC 8601).
 *
 * A hand-written recursive-descent parser over (p, n) with one cursor.
 * Comments are skipped with a depth counter (no recursion), so the whole
 * parse is one left-to-right pass. A leniency is recorded through
 * lenient(): in strict mode it becomes the syntax error.
 */
#include "authres.h"

const char *const authres_lenient_names[] = {
    "no-authserv-id",  "trailing-semicolon",  "bare-property", "value-chars",
    "empty-value",     "unregistered-result", "8bit",          "control-char",
    "unterminated",    "reason-order",        "none-mixed",    "no-instance",
    "skipped-resinfo",
};

struct cur {
	const char *p;
	size_t n, i;
	unsigned flags, lenient;
	bool err, depth_hit, cut;
	size_t err_off;
	const char *err_msg;
	struct arena *a;
};

static bool
is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* RFC 2045 token: any CHAR except SPACE, CTLs and tspecials. */
static bool
is_tokenc(unsigned char c)
{
	if (c <= 0x20 || c >= 0x7f)
		return false;
	return strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

/* RFC 5322 atext, the dot-atom of a local-part. */
static bool
is_atext(unsigned char c)
{
	return is_alnum(c) || (c != 0 && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static bool
is_keywordc(unsigned char c)
{
	return is_alnum(c) || c == '-' || c == '_';
}

static void
error(struct cur *c, const char *msg)
{
	if (c->err)
		return;
	c->err = true;
	c->err_off = c->i;
	c->err_msg = msg;
}

/* Record leniency bit; in strict mode it is the error. */
static bool
lenient(struct cur *c, unsigned bit, const char *msg)
{
	c->lenient |= bit;
	if (c->flags & AUTHRES_F_RELAXED)
		return true;
	error(c, msg);
	return false;
}

/* A byte inside a comment or a quoted string. */
static void
check_text_byte(struct cur *c, unsigned char ch)
{
	if (ch >= 0x80 && !(c->flags & AUTHRES_F_INTL))
		lenient(c, AUTHRES_L_8BIT, "8-bit byte without RFC 8616");
	else if ((ch < 0x20 && !is_ws(ch)) || ch == 0x7f)
		lenient(c, AUTHRES_L_CTL, "control character");
}

/* Skip a comment starting at '('. Nesting is a counter, not recursion. */
static void
skip_comment(struct cur *c)
{
	size_t depth = 0;
	while (c->i < c->n) {
		unsigned char ch = (unsigned char)c->p[c->i++];
		if (ch == '(') {
			if (++depth > AUTHRES_MAX_COMMENT_DEPTH)
				c->depth_hit = true;
		} else if (ch == ')') {
			if (--depth == 0)
				return;
		} else if (ch == '\\') {
			if (c->i < c->n)
				c->i++;
		} else {
			check_text_byte(c, ch);
		}
	}
	lenient(c, AUTHRES_L_COMMENT, "unterminated comment");
}

static void
skip_cfws(struct cur *c)
{
	while (c->i < c->n && !c->err) {
		unsigned char ch = (unsigned char)c->p[c->i];
		if (is_ws(ch))
			c->i++;
		else if (ch == '(')
			skip_comment(c);
		else
			break;
	}
}

static bool
at(struct cur *c, char ch)
{
	return c->i < c->n && c->p[c->i] == ch;
}

static bool
at_end(struct cur *c)
{
	return c->i >= c->n;
}

static struct str
scan_while(struct cur *c, bool (*ok)(unsigned char))
{
	size_t s = c->i;
	while (c->i < c->n && ok((unsigned char)c->p[c->i]))
		c->i++;
	return str_make(c->p + s, c->i - s);
}

/* quoted-string at '"': contents with quoted-pairs resolved and folding
 * (CR, LF) removed; borrowed when there was neither. */
static struct str
quoted(struct cur *c)
{
	size_t s = ++c->i;
	bool copy = false;
	while (c->i < c->n && c->p[c->i] != '"') {
		unsigned char ch = (unsigned char)c->p[c->i];
		if (ch == '\\' && c->i + 1 < c->n) {
			copy = true;
			c->i += 2;
			continue;
		}
		if (ch == '\r' || ch == '\n')
			copy = true;
		else
			check_text_byte(c, ch);
		c->i++;
	}
	size_t e = c->i;
	if (c->i < c->n)
		c->i++; /* closing quote */
	else
		lenient(c, AUTHRES_L_COMMENT, "unterminated quoted-string");
	if (!copy)
		return str_make(c->p + s, e - s);
	char *d = arena_alloc(c->a, e - s + 1);
	size_t k = 0;
	for (size_t j = s; j < e; j++) {
		if (c->p[j] == '\\' && j + 1 < e)
			d[k++] = c->p[++j];
		else if (c->p[j] != '\r' && c->p[j] != '\n')
			d[k++] = c->p[j];
	}
	return str_make(d, k);
}

/* value = token / quoted-string (RFC 2045 §5.1). */
static struct str
value(struct cur *c, bool *was_quoted)
{
	if (was_quoted)
		*was_quoted = at(c, '"');
	if (at(c, '"'))
		return quoted(c);
	return scan_while(c, is_tokenc);
}

static unsigned
digits(struct cur *c)
{
	unsigned v = 0;
	while (c->i < c->n && is_digit((unsigned char)c->p[c->i])) {
		if (v < 100000000)
			v = v * 10 + (unsigned)(c->p[c->i] - '0');
		c->i++;
	}
	return v;
}

/* After a value: CFWS, ';' or the end must follow. */
static bool
value_end_ok(struct cur *c)
{
	if (at_end(c))
		return true;
	unsigned char ch = (unsigned char)c->p[c->i];
	return is_ws(ch) || ch == '(' || ch == ';';
}

/* Domain-name characters; 8-bit bytes are U-label UTF-8 (RFC 8616). */
static bool
is_domainc(unsigned char c)
{
	return is_alnum(c) || c == '-' || c == '.' || c == '_' || c >= 0x80;
}

/* An unquoted pvalue must be a token, or [local-part] "@" domain-name,
 * or (RFC 8616) a domain-name with U-labels. */
static void
check_pvalue(struct cur *c, struct str v)
{
	bool high = false, ok = true;
	size_t at_pos = v.n;
	for (size_t j = 0; j < v.n; j++) {
		unsigned char ch = (unsigned char)v.p[j];
		if (ch >= 0x80)
			high = true;
		if (ch == '@')
			at_pos = j;
	}
	if (at_pos < v.n) {
		for (size_t j = 0; j < at_pos && ok; j++) {
			unsigned char ch = (unsigned char)v.p[j];
			ok = is_atext(ch) || ch == '.' || ch >= 0x80;
		}
		ok = ok && at_pos + 1 < v.n;
		for (size_t j = at_pos + 1; j < v.n && ok; j++)
			ok = is_domainc((unsigned char)v.p[j]);
	} else {
		bool tok = true, dom = true;
		for (size_t j = 0; j < v.n; j++) {
			tok = tok && is_tokenc((unsigned char)v.p[j]);
			dom = dom && is_domainc((unsigned char)v.p[j]);
		}
		ok = tok || dom;
	}
	if (high && !(c->flags & AUTHRES_F_INTL))
		lenient(c, AUTHRES_L_8BIT,
		        "8-bit property value without "
		        "RFC 8616");
	else if (!ok)
		lenient(c, AUTHRES_L_VALUE_CHARS,
		        "property value is neither a token nor an address; "
		        "it should be quoted");
}

static void
pvalue(struct cur *c, struct authres_prop *pr)
{
	skip_cfws(c);
	if (at(c, '"')) {
		pr->quoted = true;
		pr->value = quoted(c);
		return;
	}
	size_t s = c->i;
	while (c->i < c->n) {
		unsigned char ch = (unsigned char)c->p[c->i];
		if (is_ws(ch) || ch < 0x20 || ch == 0x7f || ch == ';' ||
		    ch == '(' || ch == ')' || ch == '"')
			break;
		c->i++;
	}
	pr->value = str_make(c->p + s, c->i - s);
	if (pr->value.n == 0)
		lenient(c, AUTHRES_L_EMPTY_VALUE, "property without a value");
	else
		check_pvalue(c, pr->value);
}

/* Registered result keywords (RFC 8601 §2.7, RFC 7489 §11.2, RFC 8617
 * §4.1.1); strict mode wants them as registered. */
static const struct {
	const char *method, *results;
} registry[] = {
    {"dkim", " none pass fail policy neutral temperror permerror "},
    {"domainkeys", " none pass fail policy neutral temperror permerror "},
    {"spf", " none neutral pass fail softfail temperror permerror "},
    {"dmarc", " none pass fail temperror permerror "},
    {"arc", " none pass fail "},
    {"iprev", " pass fail temperror permerror "},
    {"auth", " none pass fail temperror permerror "},
};

static bool
word_in(struct str w, const char *list, bool icase)
{
	for (const char *s = list; *s;) {
		while (*s == ' ')
			s++;
		const char *e = s;
		while (*e && *e != ' ')
			e++;
		if (e == s)
			break;
		struct str cand = str_make(s, (size_t)(e - s));
		if (icase ? str_ieq_str(w, cand) : str_eq(w, cand))
			return true;
		s = e;
	}
	return false;
}

static void
check_result(struct cur *c, const struct authres_result *r)
{
	for (size_t k = 0; k < sizeof(registry) / sizeof(registry[0]); k++) {
		if (!str_ieq(r->method, registry[k].method))
			continue;
		/* RFC 4408 wrote SPF results in mixed case ("SoftFail") */
		bool icase = str_ieq(r->method, "spf");
		if (!word_in(r->result, registry[k].results, icase))
			lenient(c, AUTHRES_L_RESULT,
			        "result not registered for this method");
		return;
	}
}

static const char *const code_names[] = {
    "other",   "none",   "pass",      "fail",      "softfail",
    "neutral", "policy", "temperror", "permerror",
};

static enum authres_code
code_of(struct str w)
{
	for (size_t k = 1; k < sizeof(code_names) / sizeof(code_names[0]); k++)
		if (str_ieq(w, code_names[k]))
			return (enum authres_code)k;
	return AUTHRES_R_OTHER;
}

const char *
authres_code_name(enum authres_code c)
{
	return (unsigned)c < sizeof(code_names) / sizeof(code_names[0])
	           ? code_names[c]
	           : "other";
}

static void
add_prop(struct cur *c, struct authres_result *r, const struct authres_prop *pr,
         struct authres *out)
{
	if (r->nprops >= AUTHRES_MAX_PROPS) {
		out->truncated = true;
		return;
	}
	/* grow by doubling: amortised linear; not zeroed, as entries are
	 * written whole when added */
	if (r->nprops == 0 ||
	    (r->nprops >= 4 && (r->nprops & (r->nprops - 1)) == 0))
		r->props = arena_grow_raw(c->a, r->props, r->nprops,
		                          r->nprops ? r->nprops * 2 : 4,
		                          sizeof(*r->props));
	r->props[r->nprops++] = *pr;
}

static void
add_result(struct cur *c, struct authres *out, const struct authres_result *r)
{
	out->nseen++;
	if (out->n >= AUTHRES_MAX_RESULTS) {
		out->truncated = true;
		return;
	}
	if (out->n == 0 || (out->n >= 4 && (out->n & (out->n - 1)) == 0))
		out->v =
		    arena_grow_raw(c->a, out->v, out->n,
		                   out->n ? out->n * 2 : 4, sizeof(*out->v));
	out->v[out->n++] = *r;
}

/* reasonspec after "reason" [CFWS] at '='. */
static bool
reasonspec(struct cur *c, struct authres_result *r, bool after_prop)
{
	if (after_prop &&
	    !lenient(c, AUTHRES_L_REASON_ORDER, "reason after a property"))
		return false;
	c->i++;
	skip_cfws(c);
	bool q;
	r->reason = value(c, &q);
	r->has_reason = true;
	if (!q && r->reason.n == 0 &&
	    !lenient(c, AUTHRES_L_EMPTY_VALUE, "empty reason"))
		return false;
	if (!value_end_ok(c)) {
		error(c, "unexpected character after the reason");
		return false;
	}
	return true;
}

/* One propspec (or a relaxed bare name=value), name already read. */
static bool
propspec(struct cur *c, struct authres *out, struct authres_result *r,
         struct str name)
{
	struct authres_prop pr = {0};
	if (at(c, '.')) {
		c->i++;
		skip_cfws(c);
		pr.ptype = name;
		pr.property = scan_while(c, is_keywordc);
		if (pr.property.n == 0) {
			error(c, "expected a property name after '.'");
			return false;
		}
		skip_cfws(c);
		if (!at(c, '=')) {
			error(c, "expected '=' after the property");
			return false;
		}
	} else if (at(c, '=')) {
		if (!lenient(c, AUTHRES_L_BARE_PROP,
		             "property without a ptype (ptype.property=)"))
			return false;
		pr.ptype = str_make(name.p, 0);
		pr.property = name;
	} else {
		error(c, "expected '.' after a property type");
		return false;
	}
	c->i++;
	pvalue(c, &pr);
	if (c->err)
		return false;
	if (!value_end_ok(c)) {
		error(c, "unexpected character after a property value");
		return false;
	}
	add_prop(c, r, &pr, out);
	return true;
}

/* methodspec [reasonspec] *propspec, after the ';'. */
static bool
resinfo(struct cur *c, struct authres *out, struct authres_result *r)
{
	r->method = scan_while(c, is_keywordc);
	r->method_version = 1;
	if (r->method.n == 0) {
		error(c, "expected a method");
		return false;
	}
	skip_cfws(c);
	if (at(c, '/')) {
		c->i++;
		skip_cfws(c);
		if (at_end(c) || !is_digit((unsigned char)c->p[c->i])) {
			error(c, "expected a method version after '/'");
			return false;
		}
		r->method_version = digits(c);
		skip_cfws(c);
	}
	if (!at(c, '=')) {
		error(c, "expected '=' after the method");
		return false;
	}
	c->i++;
	skip_cfws(c);
	r->result = scan_while(c, is_keywordc);
	if (r->result.n == 0 || !value_end_ok(c)) {
		error(c, "expected a result keyword");
		return false;
	}
	r->code = code_of(r->result);
	check_result(c, r);
	bool after_prop = false;
	for (;;) {
		skip_cfws(c);
		if (c->err)
			return false;
		if (at_end(c) || at(c, ';'))
			return true;
		struct str name = scan_while(c, is_keywordc);
		if (name.n == 0) {
			error(c, "expected a property");
			return false;
		}
		skip_cfws(c);
		bool ok = str_ieq(name, "reason") && at(c, '=')
		              ? reasonspec(c, r, after_prop)
		              : (after_prop = true, propspec(c, out, r, name));
		if (!ok)
			return false;
	}
}

/* Relaxed recovery: skip to the next ';' outside comments and quotes. */
static void
skip_resinfo(struct cur *c)
{
	c->err = false;
	c->lenient |= AUTHRES_L_SKIPPED;
	while (c->i < c->n && c->p[c->i] != ';') {
		if (c->p[c->i] == '(')
			skip_comment(c);
		else if (c->p[c->i] == '"')
			(void)quoted(c);
		else
			c->i++;
	}
}

/* "i" [CFWS] "=" [CFWS] 1*DIGIT [CFWS] ";" (RFC 8617 §4.1.1). */
static void
instance(struct cur *c, struct authres *out)
{
	size_t save = c->i;
	if (at(c, 'i') || at(c, 'I')) {
		c->i++;
		skip_cfws(c);
		if (at(c, '=')) {
			c->i++;
			skip_cfws(c);
			if (!at_end(c) && is_digit((unsigned char)c->p[c->i])) {
				long v = (long)digits(c);
				skip_cfws(c);
				if (at(c, ';')) {
					c->i++;
					out->instance = v;
					return;
				}
			}
		}
	}
	c->i = save;
	c->err = false;
	lenient(c, AUTHRES_L_NO_INSTANCE, "expected the ARC instance i=N;");
}

/* authserv-id [CFWS authres-version]. Returns false when there is none
 * and the first resinfo starts without ';' (Outlook). */
static bool
authserv(struct cur *c, struct authres *out)
{
	size_t save = c->i;
	bool q = at(c, '"');
	struct str id = q ? quoted(c) : scan_while(c, is_tokenc);
	if (!q && !at_end(c) && (unsigned char)c->p[c->i] >= 0x80) {
		/* RFC 8616 §5: a U-label authserv-id must be quoted */
		if (!lenient(c, AUTHRES_L_8BIT, "unquoted 8-bit authserv-id"))
			return true;
		while (c->i < c->n && (is_tokenc((unsigned char)c->p[c->i]) ||
		                       (unsigned char)c->p[c->i] >= 0x80))
			c->i++;
		id = str_make(c->p + save, c->i - save);
	}
	if (c->err)
		return true;
	bool end_ok = value_end_ok(c);
	skip_cfws(c);
	if (!q && (at(c, '=') || at(c, '/'))) {
		/* the "id" was a method: no authserv-id at all */
		c->i = save;
		lenient(c, AUTHRES_L_NO_AUTHSERV_ID, "missing authserv-id");
		return false;
	}
	if (!q && id.n == 0) {
		if (at(c, ';'))
			lenient(c, AUTHRES_L_NO_AUTHSERV_ID,
			        "missing authserv-id");
		else
			error(c, "expected an authserv-id");
		return true;
	}
	if (!end_ok) {
		error(c, "unexpected character after the authserv-id");
		return true;
	}
	out->authserv_id = id;
	if (!at_end(c) && is_digit((unsigned char)c->p[c->i])) {
		out->version = digits(c);
		if (!value_end_ok(c))
			error(c, "unexpected character after the version");
		skip_cfws(c);
	}
	return true;
}

/* no-result / 1*resinfo */
static void
results(struct cur *c, struct authres *out, bool need_semi)
{
	bool first = true;
	for (;;) {
		skip_cfws(c);
		if (c->err || at_end(c))
			return;
		if (at(c, ';')) {
			c->i++;
			skip_cfws(c);
			if (c->err)
				return;
			if (at_end(c) || at(c, ';')) {
				if (!lenient(c, AUTHRES_L_TRAILING_SEMI,
				             "empty result after ';'"))
					return;
				continue;
			}
		} else if (!first || need_semi) {
			error(c, "expected ';'");
			if (!(c->flags & AUTHRES_F_RELAXED))
				return;
			skip_resinfo(c);
			continue;
		}
		first = false;
		size_t s = c->i;
		struct str kw = scan_while(c, is_keywordc);
		skip_cfws(c);
		bool none = str_ieq(kw, "none") && !at(c, '=') && !at(c, '/');
		if ((none && out->nseen) || (!none && out->none))
			if (!lenient(c, AUTHRES_L_NONE_MIXED,
			             "\"none\" beside other results"))
				return;
		if (none) {
			out->none = true;
			continue;
		}
		c->i = s;
		struct authres_result r = {0};
		if (resinfo(c, out, &r)) {
			/* a result that runs into the AUTHRES_MAX_BYTES cut
			 * is incomplete: dropped */
			if (!(c->cut && at_end(c)))
				add_result(c, out, &r);
		} else if (c->flags & AUTHRES_F_RELAXED)
			skip_resinfo(c);
		else
			return;
	}
}

static void
report(const struct cur *c, struct authres *out, bool cut, struct findings *f,
       int header)
{
	if (!f)
		return;
	if (out->truncated || c->depth_hit)
		findings_add(f, "auth.authres-truncated", SEV_WARNING, -1,
		             header,
		             "Authentication-Results past a bound:%s%s%s%s",
		             cut ? " longer than AUTHRES_MAX_BYTES;" : "",
		             out->nseen > AUTHRES_MAX_RESULTS
		                 ? " more than AUTHRES_MAX_RESULTS;"
		                 : "",
		             c->depth_hit ? " comments nested deeper than "
		                            "AUTHRES_MAX_COMMENT_DEPTH;"
		                          : "",
		             " the excess was not kept");
	if (out->err)
		findings_add(f, "auth.authres-syntax", SEV_WARNING, -1, header,
		             "Authentication-Results syntax error at offset "
		             "%zu: %s",
		             out->err_off, out->err);
}

int
authres_parse(struct str value, unsigned flags, struct arena *a,
              struct findings *f, int header, struct authres *out)
{
	memset(out, 0, sizeof(*out));
	out->instance = -1;
	out->version = 1;
	struct cur c = {.p = value.p, .n = value.n, .flags = flags, .a = a};
	bool cut = false;
	if (c.n > AUTHRES_MAX_BYTES) {
		c.n = AUTHRES_MAX_BYTES;
		cut = c.cut = out->truncated = true;
	}
	skip_cfws(&c);
	if (!c.err && (flags & AUTHRES_F_ARC))
		instance(&c, out);
	skip_cfws(&c);
	if (!c.err && at_end(&c))
		error(&c, "empty Authentication-Results");
	if (!c.err) {
		bool need_semi = authserv(&c, out);
		if (!c.err)
			results(&c, out, need_semi);
	}
	/* an error caused by the cut is truncation, not bad syntax */
	if (c.err && cut && (flags & AUTHRES_F_RELAXED))
		c.err = false;
	if (c.depth_hit)
		out->truncated = true;
	out->lenient = c.lenient;
	if (c.err) {
		out->err = c.err_msg;
		out->err_off = c.err_off;
	}
	report(&c, out, cut, f, header);
	if (c.err)
		return AUTHRES_ESYNTAX;
	return c.lenient ? AUTHRES_RELAXED : AUTHRES_OK;
}

enum authres_kind
authres_kind_of(enum header_kind k)
{
	switch (k) {
	case HK_AUTHENTICATION_RESULTS:
		return AUTHRES_KIND_AR;
	case HK_ARC_AUTHENTICATION_RESULTS:
		return AUTHRES_KIND_ARC;
	case HK_X_MS_EXCHANGE_AUTHENTICATION_RESULTS:
		return AUTHRES_KIND_MS;
	case HK_AUTHENTICATION_RESULTS_ORIGINAL:
	case HK_X_ORIGINAL_AUTHENTICATION_RESULTS:
		return AUTHRES_KIND_ORIGINAL;
	default:
		return AUTHRES_KIND_NOT;
	}
}

enum authres_kind
authres_kind(struct str name)
{
	return authres_kind_of(header_name_kind(str_trim(name)));
}

int
authres_parse_kind(enum authres_kind k, struct str value, unsigned flags,
                   struct arena *a, struct findings *f, int header,
                   struct authres *out)
{
	if (k == AUTHRES_KIND_NOT) {
		memset(out, 0, sizeof(*out));
		out->instance = -1;
		out->err = "not an Authentication-Results field";
		return AUTHRES_ESYNTAX;
	}
	if (k == AUTHRES_KIND_ARC)
		flags |= AUTHRES_F_ARC;
	return authres_parse(value, flags, a, f, header, out);
}

int
authres_parse_field(struct str name, struct str value, unsigned flags,
                    struct arena *a, struct findings *f, int header,
                    struct authres *out)
{
	return authres_parse_kind(authres_kind(name), value, flags, a, f,
	                          header, out);
}

const struct authres_prop *
authres_prop(const struct authres_result *r, const char *ptype,
             const char *property)
{
	for (size_t k = 0; k < r->nprops; k++)
		if (str_ieq(r->props[k].ptype, ptype) &&
		    str_ieq(r->props[k].property, property))
			return &r->props[k];
	return NULL;
}
