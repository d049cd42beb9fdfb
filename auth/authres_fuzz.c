/* authres_fuzz.c: libFuzzer target for Authentication-Results and
 * Received-SPF. The first byte picks the flags; the rest is the value. */
#include <stddef.h>
#include <stdint.h>

#include "auth/authres.h"
#include "auth/received_spf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena *a;
	if (!a)
		a = arena_new();
	if (size == 0)
		return 0;
	unsigned flags = data[0] & 7u;
	struct str v = str_make((const char *)data + 1, size - 1);
	struct findings f;
	arena_reset(a);
	findings_init(&f, a);
	struct authres ar;
	authres_parse(v, flags, a, &f, 0, &ar);
	for (size_t i = 0; i < ar.n; i++) /* touch every kept string */
		for (size_t k = 0; k < ar.v[i].nprops; k++)
			if (ar.v[i].props[k].value.n)
				(void)*(volatile const char *)&ar.v[i]
				    .props[k]
				    .value.p[ar.v[i].props[k].value.n - 1];
	struct received_spf r;
	received_spf_parse(v, a, &f, 0, &r);
	return 0;
}
