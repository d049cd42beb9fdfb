/*
 * giostub.c: the functions of libmount and libselinux that GIO calls,
 * linked only into a build with GMime linked in (GMIME_LINK=static, the
 * default; see parse/message.c).
 *
 * g_mime_init registers every GMime type, its GIO stream among them, so
 * a static link takes in GIO's GFile and with it GIO's table of mounted
 * file systems (gunixmounts.c, the only caller of libmount) and its
 * SELinux file attributes (the only caller of libselinux). Debian ships
 * no static libmount, and its shared copy cost every start-up about
 * 0.7 ms (libmount, libblkid, libselinux and libpcre2 mapped and
 * relocated: a fifth of a mail filter's run); libselinux, linked in,
 * still ran its constructor at every start (it reads /proc/filesystems),
 * about 0.2 ms more. relaytrace never asks GIO about files or mounts, so
 * nothing calls these; were something to, each answers as its library
 * does on a system without them: no mount table (no table, a parse error
 * -EINVAL, the end of the list, no fields), and SELinux disabled (no
 * security context, ENOTSUP). GIO checks those answers (an empty list of
 * mounts, no context attribute); parse/message_test.c asks GIO.
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

/* libselinux's, for GIO's file attributes: SELinux is disabled. */
int is_selinux_enabled(void);
int getfilecon_raw(const char *path, char **con);
int lgetfilecon_raw(const char *path, char **con);
int fgetfilecon_raw(int fd, char **con);
int setfilecon_raw(const char *path, const char *con);
void freecon(char *con);

int
is_selinux_enabled(void)
{
	return 0;
}

int
getfilecon_raw(const char *path, char **con)
{
	(void)path;
	if (con)
		*con = NULL;
	errno = ENOTSUP;
	return -1;
}

int
lgetfilecon_raw(const char *path, char **con)
{
	return getfilecon_raw(path, con);
}

int
fgetfilecon_raw(int fd, char **con)
{
	(void)fd;
	return getfilecon_raw(NULL, con);
}

int
setfilecon_raw(const char *path, const char *con)
{
	(void)path;
	(void)con;
	errno = ENOTSUP;
	return -1;
}

void
freecon(char *con)
{
	(void)con;
}
