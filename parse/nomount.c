/*
 * nomount.c: libmount's functions for GIO, linked only into a build with
 * GMime linked in (GMIME_LINK=static, the default; see parse/message.c).
 *
 * g_mime_init registers every GMime type, its GIO stream among them, so
 * a static link takes in GIO's GFile and with it GIO's table of mounted
 * file systems (gunixmounts.c), the only caller of libmount. Debian ships
 * no static libmount, and linking its shared copy costs every start-up
 * about 0.7 ms (libmount, libblkid, libselinux and libpcre2 mapped and
 * relocated: a fifth of a mail filter's run). relaytrace never asks GIO
 * about files or mounts, so nothing calls these; were something to, each
 * answers as libmount does when it finds no mount table: no table, a
 * parse error (-EINVAL), the end of the list, no fields. GIO's callers
 * check those answers (an empty list of mounts).
 *
 * Only the functions GIO 2.74 calls are here: a GLib that calls another
 * fails to link, which is the signal to add it (or to build with
 * GMIME_LINK=dlopen).
 */
#include <errno.h>
#include <stddef.h>

/* the opaque libmount types GIO passes around */
struct libmnt_table;
struct libmnt_iter;
struct libmnt_fs;
struct libmnt_optmap;

/* Declared here: <libmount/libmount.h> is not needed to build. */
struct libmnt_table *mnt_new_table(void);
void mnt_free_table(struct libmnt_table *tb);
struct libmnt_iter *mnt_new_iter(int direction);
void mnt_free_iter(struct libmnt_iter *itr);
int mnt_table_parse_mtab(struct libmnt_table *tb, const char *filename);
int mnt_table_parse_fstab(struct libmnt_table *tb, const char *filename);
int mnt_table_next_fs(struct libmnt_table *tb, struct libmnt_iter *itr,
                      struct libmnt_fs **fs);
const char *mnt_fs_get_fstype(struct libmnt_fs *fs);
const char *mnt_fs_get_options(struct libmnt_fs *fs);
const char *mnt_fs_get_root(struct libmnt_fs *fs);
const char *mnt_fs_get_source(struct libmnt_fs *fs);
const char *mnt_fs_get_target(struct libmnt_fs *fs);
char *mnt_fs_strdup_options(struct libmnt_fs *fs);
const struct libmnt_optmap *mnt_get_builtin_optmap(int id);
const char *mnt_get_fstab_path(void);
int mnt_has_regular_mtab(const char **mtab, int *writable);
int mnt_optstr_get_flags(const char *optstr, unsigned long *flags,
                         const struct libmnt_optmap *map);

struct libmnt_table *
mnt_new_table(void)
{
	return NULL;
}

void
mnt_free_table(struct libmnt_table *tb)
{
	(void)tb;
}

struct libmnt_iter *
mnt_new_iter(int direction)
{
	(void)direction;
	return NULL;
}

void
mnt_free_iter(struct libmnt_iter *itr)
{
	(void)itr;
}

int
mnt_table_parse_mtab(struct libmnt_table *tb, const char *filename)
{
	(void)tb;
	(void)filename;
	return -EINVAL;
}

int
mnt_table_parse_fstab(struct libmnt_table *tb, const char *filename)
{
	(void)tb;
	(void)filename;
	return -EINVAL;
}

int
mnt_table_next_fs(struct libmnt_table *tb, struct libmnt_iter *itr,
                  struct libmnt_fs **fs)
{
	(void)tb;
	(void)itr;
	if (fs)
		*fs = NULL;
	return 1; /* the end of the table */
}

const char *
mnt_fs_get_fstype(struct libmnt_fs *fs)
{
	(void)fs;
	return NULL;
}

const char *
mnt_fs_get_options(struct libmnt_fs *fs)
{
	(void)fs;
	return NULL;
}

const char *
mnt_fs_get_root(struct libmnt_fs *fs)
{
	(void)fs;
	return NULL;
}

const char *
mnt_fs_get_source(struct libmnt_fs *fs)
{
	(void)fs;
	return NULL;
}

const char *
mnt_fs_get_target(struct libmnt_fs *fs)
{
	(void)fs;
	return NULL;
}

char *
mnt_fs_strdup_options(struct libmnt_fs *fs)
{
	(void)fs;
	return NULL;
}

const struct libmnt_optmap *
mnt_get_builtin_optmap(int id)
{
	(void)id;
	return NULL;
}

const char *
mnt_get_fstab_path(void)
{
	return "/etc/fstab";
}

int
mnt_has_regular_mtab(const char **mtab, int *writable)
{
	if (mtab)
		*mtab = NULL;
	if (writable)
		*writable = 0;
	return 0;
}

int
mnt_optstr_get_flags(const char *optstr, unsigned long *flags,
                     const struct libmnt_optmap *map)
{
	(void)optstr;
	(void)map;
	if (flags)
		*flags = 0;
	return -EINVAL;
}
