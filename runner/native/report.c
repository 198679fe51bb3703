/* Messages for the user. The helper (parent) writes them as lines on the status fd for Node, or on
 * stderr; the container's first process sends them to the helper over the sync socket, because
 * its stderr already belongs to the container. */
#include "helper.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int status_fd = -1;
static int sync_fd = -1;

void report_set_parent(int fd) {
  status_fd = fd;
  sync_fd = -1;
}

void report_set_child(int fd) {
  sync_fd = fd;
  status_fd = -1;
}

static void write_all(int fd, const char *buf, size_t len) {
  while (len) {
    ssize_t n = write(fd, buf, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return; /* Node may be gone (detached runs): nothing else to tell */
    buf += n;
    len -= (size_t)n;
  }
}

/* One line: newlines in messages would break the protocol. */
static void flatten(char *text) {
  for (char *p = text; *p; p++)
    if (*p == '\n') *p = ' ';
}

static void emit(char kind, const char *word, const char *fmt, va_list ap) {
  char text[1024];
  vsnprintf(text, sizeof text, fmt, ap);
  flatten(text);
  if (sync_fd >= 0) {
    sync_send(sync_fd, kind, text, -1);
    return;
  }
  char line[1200];
  int n = status_fd >= 0 ? snprintf(line, sizeof line, "%s %s\n", word, text)
                         : snprintf(line, sizeof line, "layerlens-helper: %s%s\n", kind == SYNC_WARNING ? "warning: " : "", text);
  if (n > (int)sizeof line - 1) n = (int)sizeof line - 1;
  write_all(status_fd >= 0 ? status_fd : STDERR_FILENO, line, (size_t)n);
}

void warnf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  emit(SYNC_WARNING, "warning", fmt, ap);
  va_end(ap);
}

_Noreturn void die(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  emit(SYNC_ERROR, "error", fmt, ap);
  va_end(ap);
  _exit(code);
}

_Noreturn void die_sys(const char *syscall_name, const char *path) {
  int err = errno;
  die(EXIT_SETUP_FAILED, "%s %s: %s", syscall_name, path, strerror(err));
}

void status_line(const char *fmt, ...) {
  if (status_fd < 0) return;
  char line[1200];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line - 1, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if (n > (int)sizeof line - 2) n = (int)sizeof line - 2;
  line[n++] = '\n';
  write_all(status_fd, line, (size_t)n);
}
