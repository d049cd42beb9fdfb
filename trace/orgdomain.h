/*
 * orgdomain.h: Organizational Domains and DMARC identifier alignment.
 *
 * NAME
 *	orgdomain_of - the Organizational Domain of a domain name
 *	orgdomain_align - relaxed or strict alignment of two domains
 * DESCRIPTION
 *	The Organizational Domain is the registrable domain under the
 *	Public Suffix List: the public suffix plus one label (RFC 7489
 *	§3.2). Names are normalised first: outer white space trimmed, one
 *	trailing dot dropped, ASCII lower-cased. IP literals ("1.2.3.4",
 *	"[1.2.3.4]", "[IPv6:...]", anything with ':' or an all-digit last
 *	label) are not domains and have no Organizational Domain: libpsl
 *	itself would answer "3.4" for "1.2.3.4". So have empty labels and a
 *	leading dot. U-labels (UTF-8) and A-labels ("xn--") both work.
 *
 *	List choice: psl_latest(NULL), loaded lazily on the first lookup.
 *	It takes the newer of libpsl's built-in list and the one Debian's
 *	publicsuffix package installs (/usr/share/publicsuffix, updated
 *	independently of libpsl), so a system update refreshes the rules.
 *	Measured: 0.09 ms to load (psl_builtin: ~0, but its first query
 *	costs 0.7 ms cold), 3 us a query after. Falls back to psl_builtin()
 *	when the file is missing. orgdomain_use_file() pins a list file
 *	(tests, --psl). Both section ICANN and PRIVATE rules count (as in
 *	the PSL's own tests): a.b.github.io -> b.github.io.
 *
 *	Threads: the list is one per process, loaded once (under a lock)
 *	by the first lookup of any thread, or by orgdomain_init(); lookups
 *	may then run in any number of threads (each keeps its own memos,
 *	over one of public suffixes they share).
 *	orgdomain_use_file(), _use_builtin() and _free() replace the list:
 *	call them only while no other thread looks names up.
 * STANDARDS
 *	RFC 7489 §3.1 (alignment), §3.2 (Organizational Domain).
 */
#ifndef TRACE_ORGDOMAIN_H
#define TRACE_ORGDOMAIN_H

#include <stdbool.h>

#include "parse/arena.h"
#include "parse/str.h"

/* d normalised (trimmed, no trailing dot, ASCII lower case) into a; an
 * empty string when d is no domain name (IP literal, empty label,
 * leading dot, control or space bytes). NUL-terminated. */
struct str orgdomain_normalize(struct arena *a, struct str d);

/* The Organizational Domain of d, normalised, arena-owned and
 * NUL-terminated; STR_NULL when d is no domain name or is itself a
 * public suffix ("com", "co.uk", "example"). */
struct str orgdomain_of(struct arena *a, struct str d);

enum orgdomain_alignment {
	ORGDOMAIN_UNALIGNED = 0,
	ORGDOMAIN_RELAXED = 1, /* same Organizational Domain */
	ORGDOMAIN_STRICT = 2,  /* equal names (implies relaxed) */
};

/* How a (e.g. the RFC5322.From domain) and b (DKIM d=, SPF domain)
 * align: STRICT when equal after normalisation, RELAXED when their
 * Organizational Domains are equal, else UNALIGNED. Two names that are
 * no domain names never align. */
enum orgdomain_alignment orgdomain_align(struct arena *a, struct str from,
                                         struct str auth);

/* The same for names that are orgdomain_normalize results already (the
 * RFC5322.From domain, normalised once per message): normalising again
 * would change nothing and costs a pass over the name each time. */
struct str orgdomain_of_normalized(struct str n);
enum orgdomain_alignment
orgdomain_align_normalized(struct arena *a, struct str from_n, struct str auth);
/* The same with from_org, orgdomain_of_normalized(from_n), known already
 * (the From domain's, asked once per message for all its identities). */
enum orgdomain_alignment orgdomain_align_org(struct arena *a, struct str from_n,
                                             struct str from_org,
                                             struct str auth);

/* Is the alignment good enough for mode 's' (strict) or 'r' (relaxed,
 * the default of adkim=/aspf=)? */
bool orgdomain_aligned(struct arena *a, struct str from, struct str auth,
                       bool strict);

/* Load the default list now (once per process; later calls do
 * nothing). Optional: the first lookup loads it too. The main thread
 * calls it before starting workers so that none waits for the load. */
void orgdomain_init(void);
/* orgdomain_init, and the memo the threads share made ready, before
 * worker threads start (main thread). */
void orgdomain_threads(void);

/* Replace the list by the file at path (PSL text format or DAFSA, as
 * psl_load_file). Returns 0, or -1 (list unchanged) when unreadable. */
int orgdomain_use_file(const char *path);
/* Use libpsl's built-in list. */
void orgdomain_use_builtin(void);
/* Where the list came from: "latest", "builtin" or the file path. */
const char *orgdomain_source(void);
/* Release the list (end of process, leak checkers). */
void orgdomain_free(void);

/* The Public Suffix List every module uses (loaded on first use; see
 * orgdomain_use_file), so that Actor grouping and DMARC alignment never
 * disagree about a domain. Opaque here: a libpsl psl_ctx_t. NULL when no
 * list could be loaded. */
const void *orgdomain_list(void);

/* psl_registrable_domain() of the list for the lower-case,
 * NUL-terminated name h of n bytes (no NUL inside): a pointer into h,
 * or NULL when h has no registrable domain or no list could be loaded.
 * Memoized per thread. */
const char *orgdomain_registrable(const char *h, size_t n);

/* Changes whenever the list does: a memo of answers made with the list
 * keeps the value it was filled under and empties itself when it moves. */
unsigned orgdomain_generation(void);

#endif
