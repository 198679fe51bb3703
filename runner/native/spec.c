/* The request from Node: NUL-terminated `key=value` records (no escaping needed: argv, env and paths
 * cannot contain NUL). Repeated keys append; `mount=KIND` starts a new mount that the following
 * `mount.*` keys describe. Unknown keys are refused so a newer Node side never goes unheard. */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void str_list_push(struct str_list *list, const char *item) {
  if (list->len + 2 > list->cap) {
    list->cap = list->cap ? list->cap * 2 : 8;
    list->items = realloc(list->items, list->cap * sizeof(char *));
    if (!list->items) die(EXIT_SETUP_FAILED, "out of memory");
  }
  list->items[list->len++] = item;
  list->items[list->len] = NULL; /* always NULL-terminated, ready for execv */
}

static unsigned long parse_number(const char *key, const char *value) {
  char *end;
  errno = 0;
  unsigned long long n = strtoull(value, &end, 10);
  if (errno || end == value || *end || value[0] == '-') die(EXIT_SETUP_FAILED, "spec: %s=%s is not a number", key, value);
  return (unsigned long)n;
}

static void parse_range(const char *key, const char *value, unsigned long *start, unsigned long *count) {
  char buf[64];
  const char *colon = strchr(value, ':');
  if (!colon || (size_t)(colon - value) >= sizeof buf) die(EXIT_SETUP_FAILED, "spec: %s=%s is not START:COUNT", key, value);
  memcpy(buf, value, (size_t)(colon - value));
  buf[colon - value] = 0;
  *start = parse_number(key, buf);
  *count = parse_number(key, colon + 1);
}

static const struct { const char *name; int resource; } rlimit_names[] = {
  { "AS", RLIMIT_AS }, { "CORE", RLIMIT_CORE }, { "CPU", RLIMIT_CPU }, { "DATA", RLIMIT_DATA },
  { "FSIZE", RLIMIT_FSIZE }, { "LOCKS", RLIMIT_LOCKS }, { "MEMLOCK", RLIMIT_MEMLOCK },
  { "MSGQUEUE", RLIMIT_MSGQUEUE }, { "NICE", RLIMIT_NICE }, { "NOFILE", RLIMIT_NOFILE },
  { "NPROC", RLIMIT_NPROC }, { "RSS", RLIMIT_RSS }, { "RTPRIO", RLIMIT_RTPRIO },
  { "RTTIME", RLIMIT_RTTIME }, { "SIGPENDING", RLIMIT_SIGPENDING }, { "STACK", RLIMIT_STACK },
};

/* NAME:SOFT:HARD, numbers or "unlimited" */
static void parse_rlimit(struct spec *spec, const char *value) {
  char name[32], soft[32], hard[32];
  if (sscanf(value, "%31[A-Z]:%31[0-9a-z]:%31[0-9a-z]", name, soft, hard) != 3) die(EXIT_SETUP_FAILED, "spec: rlimit=%s is not NAME:SOFT:HARD", value);
  struct rlimit_req req = { .resource = -1 };
  for (size_t i = 0; i < sizeof rlimit_names / sizeof rlimit_names[0]; i++)
    if (!strcmp(rlimit_names[i].name, name)) req.resource = rlimit_names[i].resource;
  if (req.resource < 0) die(EXIT_SETUP_FAILED, "spec: unknown rlimit %s", name);
  req.soft = !strcmp(soft, "unlimited") ? RLIM_INFINITY : parse_number("rlimit", soft);
  req.hard = !strcmp(hard, "unlimited") ? RLIM_INFINITY : parse_number("rlimit", hard);
  spec->rlimits = realloc(spec->rlimits, (spec->n_rlimits + 1) * sizeof *spec->rlimits);
  if (!spec->rlimits) die(EXIT_SETUP_FAILED, "out of memory");
  spec->rlimits[spec->n_rlimits++] = req;
}

static struct mount_req *current_mount(struct spec *spec, const char *key) {
  if (!spec->n_mounts) die(EXIT_SETUP_FAILED, "spec: %s before any mount=", key);
  return &spec->mounts[spec->n_mounts - 1];
}

static void apply(struct spec *spec, const char *key, const char *value) {
  if (!strcmp(key, "lower")) str_list_push(&spec->lowers, value);
  else if (!strcmp(key, "upper")) spec->upper = value;
  else if (!strcmp(key, "work")) spec->work = value;
  else if (!strcmp(key, "rootfs")) spec->rootfs = value;
  else if (!strcmp(key, "readonly-rootfs")) spec->readonly_rootfs = !strcmp(value, "1");
  else if (!strcmp(key, "idmap")) {
    if (!strcmp(value, "root")) spec->idmap = IDMAP_ROOT;
    else if (!strcmp(value, "subid")) spec->idmap = IDMAP_SUBID;
    else if (!strcmp(value, "single")) spec->idmap = IDMAP_SINGLE;
    else die(EXIT_SETUP_FAILED, "spec: idmap=%s is not root, subid or single", value);
  } else if (!strcmp(key, "host-uid")) spec->host_uid = (uid_t)parse_number(key, value);
  else if (!strcmp(key, "host-gid")) spec->host_gid = (gid_t)parse_number(key, value);
  else if (!strcmp(key, "subuid")) parse_range(key, value, &spec->subuid_start, &spec->subuid_count);
  else if (!strcmp(key, "subgid")) parse_range(key, value, &spec->subgid_start, &spec->subgid_count);
  else if (!strcmp(key, "hostname")) spec->hostname = value;
  else if (!strcmp(key, "network")) {
    if (strcmp(value, "host") && strcmp(value, "none")) die(EXIT_SETUP_FAILED, "spec: network=%s is not none or host", value);
    spec->host_network = !strcmp(value, "host");
  } else if (!strcmp(key, "mount")) {
    struct mount_req req = { .options = "" };
    if (!strcmp(value, "bind")) req.kind = MOUNT_BIND;
    else if (!strcmp(value, "tmpfs")) req.kind = MOUNT_TMPFS;
    else die(EXIT_SETUP_FAILED, "spec: mount=%s is not bind or tmpfs", value);
    spec->mounts = realloc(spec->mounts, (spec->n_mounts + 1) * sizeof *spec->mounts);
    if (!spec->mounts) die(EXIT_SETUP_FAILED, "out of memory");
    spec->mounts[spec->n_mounts++] = req;
  } else if (!strcmp(key, "mount.source")) current_mount(spec, key)->source = value;
  else if (!strcmp(key, "mount.target")) current_mount(spec, key)->target = value;
  else if (!strcmp(key, "mount.options")) current_mount(spec, key)->options = value;
  else if (!strcmp(key, "cgroup")) str_list_push(&spec->cgroups, value);
  else if (!strcmp(key, "arg")) str_list_push(&spec->args, value);
  else if (!strcmp(key, "env")) str_list_push(&spec->env, value);
  else if (!strcmp(key, "cwd")) spec->cwd = value;
  else if (!strcmp(key, "user")) spec->user = value;
  else if (!strcmp(key, "tty")) spec->tty = !strcmp(value, "1");
  else if (!strcmp(key, "privileged")) spec->privileged = !strcmp(value, "1");
  else if (!strcmp(key, "rlimit")) parse_rlimit(spec, value);
  else if (!strcmp(key, "status-fd")) spec->status_fd = (int)parse_number(key, value);
  else if (!strcmp(key, "status-file")) spec->status_file = value;
  else if (!strcmp(key, "log-file")) spec->log_file = value;
  else if (!strcmp(key, "on-exit")) str_list_push(&spec->on_exit, value);
  else if (!strcmp(key, "die-with-parent")) spec->die_with_parent = !strcmp(value, "1");
  else if (!strcmp(key, "exec-pid")) spec->exec_pid = (pid_t)parse_number(key, value);
  else if (!strcmp(key, "remove")) spec->remove_path = value;
  else die(EXIT_SETUP_FAILED, "spec: unknown key '%s'", key);
}

static void validate(struct spec *spec, size_t n_records) {
  if (!n_records) die(EXIT_SETUP_FAILED, "spec: empty (Node writes it on fd 3, or pass --spec FILE)");
  if (spec->remove_path) {
    if (spec->remove_path[0] != '/') die(EXIT_SETUP_FAILED, "spec: remove= needs an absolute path");
    return;
  }
  if (!spec->args.len) die(EXIT_SETUP_FAILED, "spec: no command (arg=)");
  if (!spec->cwd) spec->cwd = "/";
  if (spec->cwd[0] != '/') die(EXIT_SETUP_FAILED, "spec: the working directory '%s' is not absolute", spec->cwd);
  for (size_t i = 0; i < spec->n_mounts; i++) {
    struct mount_req *m = &spec->mounts[i];
    if (!m->target || m->target[0] != '/') die(EXIT_SETUP_FAILED, "spec: mount %zu needs an absolute mount.target", i + 1);
    if (m->kind == MOUNT_BIND && (!m->source || m->source[0] != '/')) die(EXIT_SETUP_FAILED, "spec: bind mount on %s needs an absolute mount.source", m->target);
  }
  if (spec->upper && !spec->work) die(EXIT_SETUP_FAILED, "spec: upper= needs work=");
}

static int parse_buffer(char *buf, size_t len, struct spec *spec) {
  size_t records = 0;
  for (size_t pos = 0; pos < len;) {
    char *record = buf + pos;
    size_t n = strnlen(record, len - pos);
    if (pos + n == len) die(EXIT_SETUP_FAILED, "spec: the last record is not NUL-terminated");
    pos += n + 1;
    char *eq = strchr(record, '=');
    if (!eq) die(EXIT_SETUP_FAILED, "spec: record '%s' has no '='", record);
    *eq = 0;
    apply(spec, record, eq + 1);
    records++;
  }
  validate(spec, records);
  return 0;
}

static void spec_defaults(struct spec *spec) {
  memset(spec, 0, sizeof *spec);
  spec->status_fd = -1;
  spec->host_uid = getuid();
  spec->host_gid = getgid();
  spec->idmap = getuid() == 0 ? IDMAP_ROOT : IDMAP_SINGLE;
}

int spec_read(int fd, struct spec *spec) {
  spec_defaults(spec);
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  for (;;) {
    if (!buf) die(EXIT_SETUP_FAILED, "out of memory");
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) die_sys("read", "the spec (fd 3)");
    if (n == 0) break;
    len += (size_t)n;
    if (len == cap) buf = realloc(buf, cap *= 2);
  }
  return parse_buffer(buf, len, spec);
}

int spec_read_file(const char *path, struct spec *spec) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die_sys("open", path);
  int ret = spec_read(fd, spec);
  close(fd);
  return ret;
}
