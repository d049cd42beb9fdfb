/*
 * arc_structure.c: ARC structure conformance driver.
 *
 * Usage: arc_structure SHARED_DIR. Reads SHARED_DIR/conformance/arc/
 * arc-draft-validation-tests.json (ValiMail arc_test_suite, see
 * SOURCES.md) and checks auth/arc.h on the cases whose verdict follows
 * from the header structure alone.
 *
 * SELECTION RULE (mechanical, computed here by a scan independent of
 * auth/arc.c and auth/tags.c). For each message, take the header fields
 * named ARC-Seal (AS), ARC-Message-Signature (AMS) and ARC-
 * Authentication-Results (AAR), ignoring case. The instance of an AS or
 * AMS is the text of its "i" tag (the value split on ';', each piece
 * split at its first '=', blanks trimmed); the instance of an AAR is the
 * digits between a leading "i=" and the first ';'. An instance is valid
 * when it is 1*DIGIT in 1..50. The structure is BROKEN when any of:
 *   (1) a field has no valid instance;
 *   (2) two fields of one kind share an instance (duplicate sets);
 *   (3) with N the highest instance, some i in 1..N lacks an AS, an AMS
 *       or an AAR (missing instance, gap);
 *   (4) the AS cv= sequence is wrong: cv of i=1 is not "none", or cv of
 *       some i>1 is not "pass" (this includes every cv=fail).
 * A case is SELECTED when it has no ARC field at all (its verdict must be
 * None) or when its structure is BROKEN (its verdict must be Fail; the
 * suite's three empty cv values count as Fail, as every runner does).
 * Every other case has an intact structure and its verdict needs the
 * signatures, which are checked elsewhere.
 *
 * Checks: every selected case must get ARC_NONE for None and ARC_FAIL or
 * ARC_STRUCTURE_FAIL for Fail (floor 100%). As a guard against false
 * alarms, every unselected case the suite expects to Pass must get
 * ARC_PASS (structure intact) from the library; a miss there fails too.
 * Exit 1 when either check misses, 2 when the data cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "auth/arc.h"
#include "parse/header.h"

#define MAXI 50

static struct str
trim(struct str s)
{
	return str_trim(s);
}

/* Value of tag name in an AS/AMS value, naive split; present flag. */
static struct str
naive_tag(struct str v, const char *name, bool *present)
{
	*present = false;
	size_t s = 0;
	while (s <= v.n) {
		size_t e = s;
		while (e < v.n && v.p[e] != ';')
			e++;
		struct str piece = str_make(v.p + s, e - s);
		const char *eq = memchr(piece.p, '=', piece.n);
		if (eq) {
			struct str k =
			    trim(str_make(piece.p, (size_t)(eq - piece.p)));
			if (str_eq(k, str_make(name, strlen(name)))) {
				*present = true;
				return trim(str_make(
				    eq + 1,
				    piece.n - (size_t)(eq - piece.p) - 1));
			}
		}
		s = e + 1;
	}
	return STR_NULL;
}

static long
valid_instance(struct str d)
{
	if (d.n == 0 || d.n > 3)
		return -1;
	long n = 0;
	for (size_t k = 0; k < d.n; k++) {
		if (d.p[k] < '0' || d.p[k] > '9')
			return -1;
		n = n * 10 + (d.p[k] - '0');
	}
	return n >= 1 && n <= MAXI ? n : -1;
}

/* 0: no ARC fields, 1: broken, 2: intact. */
static int
classify(const struct header_block *hb)
{
	int count[3][MAXI + 1] = {{0}};
	int cv[MAXI + 1] = {0}; /* 1 none, 2 pass, 3 other */
	size_t nf = 0;
	bool broken = false;
	long top = 0;
	for (size_t k = 0; k < hb->n; k++) {
		struct str name = trim(hb->v[k].name), v = hb->v[k].value;
		int kind = str_ieq(name, "ARC-Authentication-Results") ? 0
		           : str_ieq(name, "ARC-Message-Signature")    ? 1
		           : str_ieq(name, "ARC-Seal")                 ? 2
		                                                       : -1;
		if (kind < 0)
			continue;
		nf++;
		long i;
		if (kind == 0) {
			struct str t = trim(v);
			const char *semi = memchr(t.p, ';', t.n);
			if (t.n < 2 || t.p[0] != 'i' || t.p[1] != '=' || !semi)
				i = -1;
			else
				i = valid_instance(trim(str_make(
				    t.p + 2, (size_t)(semi - t.p - 2))));
		} else {
			bool present;
			i = valid_instance(naive_tag(v, "i", &present));
		}
		if (i < 0) {
			broken = true;
			continue;
		}
		if (++count[kind][i] > 1)
			broken = true;
		if (i > top)
			top = i;
		if (kind == 2) {
			bool present;
			struct str c = naive_tag(v, "cv", &present);
			cv[i] = str_ieq(c, "none")   ? 1
			        : str_ieq(c, "pass") ? 2
			                             : 3;
		}
	}
	if (nf == 0)
		return 0;
	for (long i = 1; i <= top; i++) {
		if (!count[0][i] || !count[1][i] || !count[2][i])
			broken = true;
		else if (cv[i] != (i == 1 ? 1 : 2))
			broken = true;
	}
	return broken ? 1 : 2;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s SHARED_DIR\n", argv[0]);
		return 2;
	}
	char path[4096];
	snprintf(path, sizeof(path),
	         "%s/conformance/arc/arc-draft-validation-tests.json", argv[1]);
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr);
	if (!root || !json_is_array(root)) {
		fprintf(stderr, "arc_structure: %s: %s\n", path, jerr.text);
		return 2;
	}
	struct arena *a = arena_new();
	size_t total = 0, sel = 0, sel_ok = 0, guard = 0, guard_ok = 0;
	size_t i;
	json_t *scen;
	json_array_foreach(root, i, scen)
	{
		const char *name;
		json_t *t;
		json_object_foreach(json_object_get(scen, "tests"), name, t)
		{
			const char *msg =
			    json_string_value(json_object_get(t, "message"));
			const char *cvs =
			    json_string_value(json_object_get(t, "cv"));
			if (!msg)
				continue;
			total++;
			arena_reset(a);
			struct findings f;
			findings_init(&f, a);
			struct header_block hb;
			headers_split(msg, strlen(msg), a, &hb, &f);
			struct arc_chain ch;
			enum arc_result r = arc_collect(&hb, a, &f, &ch);
			int cls = classify(&hb);
			bool want_none = cvs && !strcasecmp(cvs, "none");
			bool want_pass = cvs && !strcasecmp(cvs, "pass");
			if (cls == 2) {
				if (!want_pass)
					continue;
				guard++;
				if (r == ARC_PASS)
					guard_ok++;
				else
					printf("FAIL %s: intact structure, "
					       "expected Pass, got %s: %s\n",
					       name, arc_result_name(r),
					       ch.reason);
				continue;
			}
			sel++;
			bool ok =
			    cls == 0
			        ? (want_none && r == ARC_NONE)
			        : (!want_none && !want_pass &&
			           (r == ARC_FAIL || r == ARC_STRUCTURE_FAIL));
			if (ok)
				sel_ok++;
			else
				printf("FAIL %s: expected %s, got %s: %s\n",
				       name, cvs ? cvs : "Fail",
				       arc_result_name(r), ch.reason);
		}
	}
	json_decref(root);
	arena_free(a);
	printf("arc_structure: %zu cases, %zu selected (structure alone "
	       "decides), %zu/%zu passed; guard: %zu/%zu intact-structure "
	       "Pass cases judged pass\n",
	       total, sel, sel_ok, sel, guard_ok, guard);
	return sel_ok == sel && guard_ok == guard ? 0 : 1;
}
