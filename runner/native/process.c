/* The last steps before the container's command runs, shared by `run` and `exec`, in this order:
 * user lookup, descriptors closed, working directory (resolved inside the root, magic links
 * refused, verified after the switch), rlimits (only ever lowered), terminal and session, the
 * bounding set, groups and ids, capabilities, no_new_privs, parent-death signal, environment,
 * and the seccomp filter last of all. A privileged process (`privileged=1`, RUN --security=insecure,
 * like `docker run --privileged`) keeps every capability, gets no no_new_privs and no seccomp filter. */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

static void enter_workdir(const char *path) {
  int dir = open_dir_in_root(path, "working directory");
  if (fchdir(dir) < 0) die_sys("fchdir", path);
  close(dir);
  char cwd[4096];
  /* outside the root, getcwd fails (ENOENT) or says "(unreachable)" */
  if (!getcwd(cwd, sizeof cwd) || cwd[0] != '/') die(EXIT_SETUP_FAILED, "working directory %s is outside the container's root", path);
}

static void lower_rlimits(const struct spec *spec) {
  for (size_t i = 0; i < spec->n_rlimits; i++) {
    const struct rlimit_req *r = &spec->rlimits[i];
    struct rlimit cur, want;
    if (getrlimit(r->resource, &cur) < 0) die_sys("getrlimit", "the process");
    want.rlim_max = r->hard < cur.rlim_max ? r->hard : cur.rlim_max;
    want.rlim_cur = r->soft < want.rlim_max ? r->soft : want.rlim_max;
    if (r->hard > cur.rlim_max || r->soft > want.rlim_max)
      warnf("rlimit %d: %llu:%llu asked, kept at the hard limit %llu (raising it needs CAP_SYS_RESOURCE)", r->resource,
            (unsigned long long)r->soft, (unsigned long long)r->hard, (unsigned long long)cur.rlim_max);
    if (setrlimit(r->resource, &want) < 0) die_sys("setrlimit", "the process");
  }
}

static void open_terminal(int sync_fd, const struct resolved_user *u) {
  int master, slave = terminal_open_in_container(&master);
  if (sync_send(sync_fd, SYNC_TERMINAL, NULL, master) < 0) die_sys("sendmsg", "the terminal's master side");
  close(master);
  if (setsid() < 0) die_sys("setsid", "the container's process");
  if (ioctl(slave, TIOCSCTTY, 0) < 0) die_sys("ioctl(TIOCSCTTY)", "/dev/pts");
  if (fchown(slave, u->uid, u->gid) < 0) { /* an unmapped user: the terminal stays root's, still usable */ }
  for (int fd = 0; fd <= 2; fd++)
    if (dup2(slave, fd) < 0) die_sys("dup2", "the terminal");
  if (slave > 2) close(slave);
}

static bool setgroups_denied(void) {
  char buf[16] = "";
  int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  return n > 0 && !strncmp(buf, "deny", 4);
}

static void switch_user(const struct spec *spec, const struct resolved_user *u) {
  if (setgroups_denied()) {
    if (u->n_groups) warnf("user %s: supplementary groups dropped: this user namespace maps a single id (no /etc/subgid range)", spec->user);
  } else if (setgroups(u->n_groups, u->groups) < 0) {
    die_sys("setgroups", "the container's user");
  }
  const char *hint = spec->idmap == IDMAP_SINGLE ? " (only uid/gid 0 exists: rootless without an /etc/subuid range maps a single id)" : "";
  if (setresgid(u->gid, u->gid, u->gid) < 0)
    die(EXIT_SETUP_FAILED, "setresgid %u: %s: the group is not mapped in the container's user namespace%s", u->gid, strerror(errno), hint);
  if (setresuid(u->uid, u->uid, u->uid) < 0)
    die(EXIT_SETUP_FAILED, "setresuid %u: %s: the user is not mapped in the container's user namespace%s", u->uid, strerror(errno), hint);
}

/* Every descriptor above 2 except the sync socket (close-on-exec itself). */
static void close_other_fds(int keep) {
  if (keep > 3 && sys_close_range(3, (unsigned)keep - 1) < 0) die_sys("close_range", "inherited descriptors");
  if (sys_close_range((unsigned)keep + 1, ~0U) < 0) die_sys("close_range", "inherited descriptors");
}

static bool has_env(const struct str_list *env, const char *name) {
  size_t len = strlen(name);
  for (size_t i = 0; i < env->len; i++)
    if (!strncmp(env->items[i], name, len) && env->items[i][len] == '=') return true;
  return false;
}

_Noreturn void process_exec(const struct spec *spec, int sync_fd) {
  /* nothing of the host may stay open while we read and walk paths inside the root */
  close_other_fds(sync_fd);
  struct resolved_user user;
  user_resolve(spec->user, &user);
  enter_workdir(spec->cwd);
  lower_rlimits(spec);
  if (spec->tty) open_terminal(sync_fd, &user);
  else if (setsid() < 0) die_sys("setsid", "the container's process");

  if (spec->privileged) {
    caps_keep_across_setuid();
    switch_user(spec, &user);
    caps_apply_all();
  } else {
    caps_drop_bounding();
    switch_user(spec, &user);
    caps_apply(user.uid == 0);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) die_sys("prctl(PR_SET_NO_NEW_PRIVS)", "the process");
  }
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) die_sys("prctl(PR_SET_PDEATHSIG)", "the process"); /* reset by setuid */

  struct str_list env = { 0 };
  for (size_t i = 0; i < spec->env.len; i++) str_list_push(&env, spec->env.items[i]);
  static char home[300];
  snprintf(home, sizeof home, "HOME=%s", user.home);
  if (!has_env(&env, "HOME")) str_list_push(&env, home);
  if (!has_env(&env, "PATH")) str_list_push(&env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  environ = (char **)env.items;

  signals_unblock();
  if (!spec->privileged) seccomp_install();
  execvp(spec->args.items[0], (char *const *)spec->args.items);
  int err = errno;
  die(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, "exec %s: %s%s", spec->args.items[0], strerror(err),
      err == ENOENT && !strchr(spec->args.items[0], '/') ? " (not found in the container's PATH)" : "");
}
