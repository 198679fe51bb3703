/* Paths inside the container, resolved the way the container itself would see them and never
 * further: every lookup starts at the container's root with RESOLVE_IN_ROOT (absolute symlinks
 * and ".." stay inside) and RESOLVE_NO_MAGICLINKS (a /proc magic link, the leaked-descriptor
 * escape, is refused). Used for the working directory and every mount target the image could
 * shape with symlinks. Missing directories are created as `mkdir -p` would, including through
 * symlinks whose targets do not exist yet. */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IN_ROOT (RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)

_Noreturn static void refuse(const char *kind, const char *path, const char *what, int err) {
  if (err == ELOOP || err == EXDEV) die(EXIT_SETUP_FAILED, "%s %s: refusing to follow '%s' out of the container (%s)", kind, path, what, strerror(err));
  if (err == ENOSYS) die(EXIT_SETUP_FAILED, "openat2: not supported by this kernel (Linux 5.6 or later is needed)");
  die(EXIT_SETUP_FAILED, "%s %s (at '%s'): %s", kind, path, what, strerror(err));
}

int open_dir_in_root(const char *path, const char *kind) {
  int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) die_sys("open", "/");
  char current[4096];
  if (snprintf(current, sizeof current, "%s", path) >= (int)sizeof current) die(EXIT_SETUP_FAILED, "%s too long: %s", kind, path);
  for (int attempt = 0; attempt < 40; attempt++) {
    int dir = sys_openat2_in_root(root, current, O_PATH | O_DIRECTORY | O_CLOEXEC, IN_ROOT);
    if (dir >= 0) {
      close(root);
      return dir;
    }
    if (errno != ENOENT) refuse(kind, path, current, errno);
    /* find the first missing component and create it (or follow the dangling symlink there) */
    char prefix[4096] = "";
    const char *p = current;
    for (;;) {
      while (*p == '/') p++;
      const char *end = strchr(p, '/');
      size_t len = end ? (size_t)(end - p) : strlen(p);
      char name[256];
      if (len == 0 || len >= sizeof name) die(EXIT_SETUP_FAILED, "%s %s: bad component", kind, path);
      memcpy(name, p, len);
      name[len] = 0;
      char candidate[4096];
      snprintf(candidate, sizeof candidate, "%s/%s", prefix, name);
      bool dots = !strcmp(name, ".") || !strcmp(name, "..");
      int probe = dots ? -1 : sys_openat2_in_root(root, candidate, O_PATH | O_CLOEXEC, IN_ROOT);
      if (dots || probe >= 0) { /* exists (or "."/".."): go on */
        if (probe >= 0) close(probe);
        snprintf(prefix, sizeof prefix, "%s", candidate);
        p += len;
        if (!*p) break; /* everything exists: the retry reports why it cannot be opened */
        continue;
      }
      if (errno != ENOENT) refuse(kind, path, candidate, errno);
      int parent = sys_openat2_in_root(root, prefix[0] ? prefix : "/", O_PATH | O_DIRECTORY | O_CLOEXEC, IN_ROOT);
      if (parent < 0) refuse(kind, path, prefix, errno);
      if (mkdirat(parent, name, 0755) == 0) {
        close(parent);
        break;
      }
      if (errno != EEXIST) {
        int err = errno;
        close(parent);
        refuse(kind, path, name, err);
      }
      /* it exists but does not resolve: a symlink to something missing; continue at its target */
      char target[4096];
      ssize_t n = readlinkat(parent, name, target, sizeof target - 1);
      close(parent);
      if (n < 0) refuse(kind, path, name, errno);
      target[n] = 0;
      char next[4096];
      if (snprintf(next, sizeof next, "%s/%s%s", target[0] == '/' ? "" : prefix, target, p + len) >= (int)sizeof next)
        die(EXIT_SETUP_FAILED, "%s too long: %s", kind, path);
      snprintf(current, sizeof current, "%s", next);
      break;
    }
  }
  die(EXIT_SETUP_FAILED, "%s %s: too many levels of symbolic links", kind, path);
}

/* A file (a bind mount target for a file): created empty when missing, in a directory that is
 * created as needed; a dangling symlink (an image's /etc/resolv.conf -> ../run/...) is followed. */
int open_file_in_root(const char *path, const char *kind) {
  int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) die_sys("open", "/");
  char current[4096];
  if (snprintf(current, sizeof current, "%s", path) >= (int)sizeof current) die(EXIT_SETUP_FAILED, "%s too long: %s", kind, path);
  for (int attempt = 0; attempt < 40; attempt++) {
    int fd = sys_openat2_in_root(root, current, O_PATH | O_CLOEXEC, IN_ROOT);
    if (fd >= 0) {
      close(root);
      return fd;
    }
    if (errno != ENOENT) refuse(kind, path, current, errno);
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", current);
    char *slash = strrchr(parent, '/');
    char name[256];
    snprintf(name, sizeof name, "%s", slash + 1);
    if (slash == parent) strcpy(parent, "/");
    else *slash = 0;
    int dir = open_dir_in_root(parent, kind);
    /* mknod never opens what is there (a FIFO would block) */
    if (mknodat(dir, name, S_IFREG | 0644, 0) == 0) {
      close(dir);
      continue;
    }
    if (errno != EEXIST) refuse(kind, path, name, errno);
    char target[4096];
    ssize_t n = readlinkat(dir, name, target, sizeof target - 1);
    close(dir);
    if (n < 0) refuse(kind, path, name, errno);
    target[n] = 0;
    char next[4096];
    if (snprintf(next, sizeof next, "%s/%s", target[0] == '/' ? "" : parent, target) >= (int)sizeof next) die(EXIT_SETUP_FAILED, "%s too long: %s", kind, path);
    snprintf(current, sizeof current, "%s", next);
  }
  die(EXIT_SETUP_FAILED, "%s %s: too many levels of symbolic links", kind, path);
}

/* A file to read (the image's /etc/passwd): -1 with errno when missing or leading outside. */
int open_readable_in_root(const char *path) {
  int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) die_sys("open", "/");
  int fd = sys_openat2_in_root(root, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, IN_ROOT);
  int err = errno;
  close(root);
  errno = err;
  return fd;
}
