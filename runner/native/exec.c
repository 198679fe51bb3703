/* `exec`: a new process in a running container. The helper joins the container's user namespace
 * first (a user has CAP_SYS_ADMIN over the PID namespace only from inside it), then its PID
 * namespace (which only children join), forks, and moves the child into the container's cgroups;
 * the child joins the mount, UTS, IPC, network and cgroup namespaces, and from there is set up
 * exactly like the container's first process. */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* In the order they are joined: user and pid by the helper, the others by the child. */
static const struct { const char *name; int type; } namespaces[] = {
  { "user", CLONE_NEWUSER }, { "pid", CLONE_NEWPID }, { "mnt", CLONE_NEWNS }, { "uts", CLONE_NEWUTS },
  { "ipc", CLONE_NEWIPC }, { "net", CLONE_NEWNET }, { "cgroup", CLONE_NEWCGROUP },
};
#define JOINED_BY_HELPER 2
#define N_NAMESPACES (sizeof namespaces / sizeof namespaces[0])

/* The container's namespace, or -1 when it is the helper's own (host networking). */
static int open_namespace(pid_t pid, const char *name) {
  char path[64], self[64];
  snprintf(path, sizeof path, "/proc/%d/ns/%s", pid, name);
  snprintf(self, sizeof self, "/proc/self/ns/%s", name);
  struct stat theirs, ours;
  if (stat(path, &theirs) < 0) {
    if (errno == ENOENT || errno == ESRCH) die(EXIT_SETUP_FAILED, "container process %d is not running (%s)", pid, path);
    die_sys("stat", path);
  }
  if (stat(self, &ours) == 0 && ours.st_ino == theirs.st_ino && ours.st_dev == theirs.st_dev) return -1;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) die_sys("open", path);
  return fd;
}

_Noreturn void exec_in_container(struct spec *spec) {
  report_set_parent(spec->status_fd);
  die_with_parent(spec);
  int fds[N_NAMESPACES];
  for (size_t i = 0; i < N_NAMESPACES; i++) fds[i] = open_namespace(spec->exec_pid, namespaces[i].name);
  for (size_t i = 0; i < JOINED_BY_HELPER; i++) {
    char what[64];
    snprintf(what, sizeof what, "/proc/%d/ns/%s", spec->exec_pid, namespaces[i].name);
    if (fds[i] >= 0 && setns(fds[i], namespaces[i].type) < 0) die_sys("setns", what);
  }

  signals_block();
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) die_sys("socketpair", "sync");
  pid_t pid = fork();
  if (pid < 0) die_sys("fork", "the exec'd process");
  if (pid == 0) {
    close(sv[0]);
    report_set_child(sv[1]);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) die_sys("prctl(PR_SET_PDEATHSIG)", "the exec'd process");
    char text[64];
    if (sync_recv(sv[1], text, sizeof text, NULL) != SYNC_GO) _exit(EXIT_SETUP_FAILED);
    for (size_t i = JOINED_BY_HELPER; i < N_NAMESPACES; i++) {
      char what[64];
      snprintf(what, sizeof what, "/proc/%d/ns/%s", spec->exec_pid, namespaces[i].name);
      if (fds[i] >= 0 && setns(fds[i], namespaces[i].type) < 0) die_sys("setns", what);
    }
    if (chdir("/") < 0) die_sys("chdir", "/ of the container");
    process_exec(spec, sv[1]);
  }
  close(sv[1]);
  for (size_t i = 0; i < N_NAMESPACES; i++)
    if (fds[i] >= 0) close(fds[i]);
  cgroup_join(spec, pid);
  if (sync_send(sv[0], SYNC_GO, NULL, -1) < 0) die_sys("sendmsg", "sync");
  struct supervision sup = { .child = pid, .sync_fd = sv[0], .log_fd = -1, .out_pipe = -1, .err_pipe = -1 };
  supervise(spec, &sup);
}
