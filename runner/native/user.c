/* `USER` from the image or `-u`: NAME, UID, NAME:GROUP, UID:GID. Names are looked up in the
 * container's own /etc/passwd and /etc/group (read after pivot_root, so from the image), and
 * anything that cannot be resolved is refused with the reason rather than run as root. */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DB_SIZE (4 << 20)

/* The whole file, or NULL if it does not exist. A FIFO, a device or a huge file is refused. */
static char *read_db(const char *path) {
  int fd = open_readable_in_root(path);
  if (fd < 0) {
    if (errno == ENOENT) return NULL;
    if (errno == ELOOP || errno == EXDEV) die(EXIT_SETUP_FAILED, "%s in the image leads out of the container (%s)", path, strerror(errno));
    die_sys("openat2", path);
  }
  struct stat st;
  if (fstat(fd, &st) < 0) die_sys("fstat", path);
  if (!S_ISREG(st.st_mode)) die(EXIT_SETUP_FAILED, "%s in the image is not a regular file", path);
  if (st.st_size > MAX_DB_SIZE) die(EXIT_SETUP_FAILED, "%s in the image is larger than %d bytes", path, MAX_DB_SIZE);
  char *buf = calloc(1, (size_t)st.st_size + 1);
  size_t len = 0;
  for (;;) {
    ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die_sys("read", path);
    if (n == 0 || (len += (size_t)n) == (size_t)st.st_size) break;
  }
  close(fd);
  return buf;
}

/* A uid or gid: decimal, 0..2^32-2 (-1 means "unchanged" to the kernel). */
static bool parse_id(const char *text, unsigned *out) {
  if (!*text || strlen(text) > 10) return false;
  for (const char *p = text; *p; p++)
    if (*p < '0' || *p > '9') return false;
  unsigned long long n = strtoull(text, NULL, 10);
  if (n >= 0xffffffffULL) return false;
  *out = (unsigned)n;
  return true;
}

/* Splits a passwd/group line into at most `max` fields in place; returns the count. */
static int split_fields(char *line, char **fields, int max) {
  int n = 0;
  fields[n++] = line;
  for (char *p = line; *p && n < max; p++)
    if (*p == ':') {
      *p = 0;
      fields[n++] = p + 1;
    }
  return n;
}

struct passwd_entry {
  bool found;
  char name[256];
  unsigned uid, gid;
  char home[256];
};

/* By name, or by uid when `name` is NULL. */
static void find_passwd(char *db, const char *name, unsigned uid, struct passwd_entry *out) {
  memset(out, 0, sizeof *out);
  if (!db) return;
  char *save = NULL;
  for (char *line = strtok_r(db, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *f[7];
    if (line[0] == '#' || split_fields(line, f, 7) < 7) continue;
    unsigned entry_uid, entry_gid;
    if (!parse_id(f[2], &entry_uid) || !parse_id(f[3], &entry_gid)) continue;
    if (name ? strcmp(f[0], name) != 0 : entry_uid != uid) continue;
    out->found = true;
    snprintf(out->name, sizeof out->name, "%s", f[0]);
    out->uid = entry_uid;
    out->gid = entry_gid;
    snprintf(out->home, sizeof out->home, "%s", f[5]);
    return;
  }
}

/* The gid of group `name`; or, with `member`, every group listing it (added to `out`). */
static bool find_group(char *db, const char *name, unsigned *gid, const char *member, struct resolved_user *out) {
  if (!db) return false;
  char *save = NULL;
  for (char *line = strtok_r(db, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char *f[4];
    if (line[0] == '#' || split_fields(line, f, 4) < 4) continue;
    unsigned entry_gid;
    if (!parse_id(f[2], &entry_gid)) continue;
    if (name && !strcmp(f[0], name)) {
      *gid = entry_gid;
      return true;
    }
    if (member) {
      char *msave = NULL;
      for (char *m = strtok_r(f[3], ",", &msave); m; m = strtok_r(NULL, ",", &msave))
        if (!strcmp(m, member) && out->n_groups < sizeof out->groups / sizeof out->groups[0]) out->groups[out->n_groups++] = entry_gid;
    }
  }
  return false;
}

void user_resolve(const char *spec_user, struct resolved_user *out) {
  memset(out, 0, sizeof *out);
  char user[512] = "0", *group = NULL;
  if (spec_user && *spec_user) snprintf(user, sizeof user, "%s", spec_user);
  char *colon = strchr(user, ':');
  if (colon) {
    *colon = 0;
    group = colon + 1;
    if (!*group) die(EXIT_SETUP_FAILED, "user '%s': the group after ':' is empty", spec_user);
  }
  if (!*user) die(EXIT_SETUP_FAILED, "user '%s': the user before ':' is empty", spec_user);

  char *passwd = read_db("/etc/passwd");
  struct passwd_entry entry;
  unsigned id;
  if (parse_id(user, &id)) {
    find_passwd(passwd, NULL, id, &entry);
    out->uid = id;
    out->gid = entry.found ? entry.gid : 0;
  } else {
    if (user[0] >= '0' && user[0] <= '9') die(EXIT_SETUP_FAILED, "user '%s': not a valid uid (0 to 4294967294)", user);
    if (!passwd) die(EXIT_SETUP_FAILED, "user '%s': the image has no /etc/passwd to look the name up in", user);
    find_passwd(passwd, user, 0, &entry);
    if (!entry.found) die(EXIT_SETUP_FAILED, "user '%s': no such user in the image's /etc/passwd", user);
    out->uid = entry.uid;
    out->gid = entry.gid;
  }
  snprintf(out->home, sizeof out->home, "%s", entry.found && entry.home[0] ? entry.home : "/");
  free(passwd);

  char *groups = read_db("/etc/group");
  if (group) {
    if (parse_id(group, &id)) out->gid = id;
    else if (group[0] >= '0' && group[0] <= '9') die(EXIT_SETUP_FAILED, "group '%s': not a valid gid (0 to 4294967294)", group);
    else if (!groups) die(EXIT_SETUP_FAILED, "group '%s': the image has no /etc/group to look the name up in", group);
    else if (!find_group(groups, group, &out->gid, NULL, out)) die(EXIT_SETUP_FAILED, "group '%s': no such group in the image's /etc/group", group);
  } else if (entry.found && groups) {
    find_group(groups, NULL, NULL, entry.name, out); /* supplementary groups listing the user */
  }
  free(groups);
}
