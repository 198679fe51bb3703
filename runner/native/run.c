/* `run`: one clone creates the user namespace (first: every other namespace is owned by it) plus
 * mount, PID, UTS, IPC and, unless host networking is asked for, network namespaces. The helper
 * writes the id maps and moves the child into its cgroups, then lets it go: the child builds its
 * root file system, switches into it and execs the command as PID 1. */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

_Noreturn static void container_init(const struct spec *spec, int sync_fd) {
  char text[64];
  if (sync_recv(sync_fd, text, sizeof text, NULL) != SYNC_GO) _exit(EXIT_SETUP_FAILED); /* the helper failed and said why */
  /* the cgroup namespace is made now that the helper has moved us into our cgroups */
  if (spec->cgroups.len && unshare(CLONE_NEWCGROUP) < 0 && errno != EINVAL) die_sys("unshare(CLONE_NEWCGROUP)", "the container");
  struct prepared_mounts *prepared = rootfs_prepare(spec);
  rootfs_enter(spec);
  rootfs_populate(spec, prepared);
  if (spec->hostname && sethostname(spec->hostname, strlen(spec->hostname)) < 0) die_sys("sethostname", spec->hostname);
  if (!spec->host_network) network_loopback_up();
  process_exec(spec, sync_fd);
}

static const char *clone_hint(int err) {
  if (getuid() == 0) return err == ENOSPC ? " (user.max_user_namespaces is exhausted or 0)" : "";
  switch (err) {
  case EPERM:
  case EACCES:
    return " (unprivileged user namespaces are disabled or restricted: check kernel.unprivileged_userns_clone=1, "
           "user.max_user_namespaces>0 and kernel.apparmor_restrict_unprivileged_userns=0, or an AppArmor profile allowing `userns,`)";
  case ENOSPC: return " (user.max_user_namespaces is exhausted or 0)";
  case EINVAL: return " (this kernel lacks a namespace type the container needs)";
  default: return "";
  }
}

/* Pipes that give the container's stdout/stderr to the helper, which copies them to the log. */
static void open_log(const struct spec *spec, struct supervision *sup, int pipes[2][2]) {
  sup->log_fd = sup->out_pipe = sup->err_pipe = -1;
  pipes[0][0] = pipes[0][1] = pipes[1][0] = pipes[1][1] = -1;
  if (!spec->log_file) return;
  sup->log_fd = open(spec->log_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (sup->log_fd < 0) die_sys("open", spec->log_file);
  if (spec->tty) return; /* the terminal's master side carries both */
  if (pipe2(pipes[0], O_CLOEXEC) < 0 || pipe2(pipes[1], O_CLOEXEC) < 0) die_sys("pipe2", spec->log_file);
  sup->out_pipe = pipes[0][0];
  sup->err_pipe = pipes[1][0];
}

_Noreturn void run_container(struct spec *spec) {
  report_set_parent(spec->status_fd);
  if (!spec->rootfs) die(EXIT_SETUP_FAILED, "spec: no rootfs= mount point");
  if (!spec->lowers.len && !spec->upper) die(EXIT_SETUP_FAILED, "spec: no lower= or upper= directory for the root file system");
  die_with_parent(spec);
  signals_block();
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) die_sys("socketpair", "sync");
  struct supervision sup = { .sync_fd = sv[0] };
  int pipes[2][2];
  open_log(spec, &sup, pipes);

  unsigned long flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC;
  if (!spec->host_network) flags |= CLONE_NEWNET;
  pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid < 0) {
    int err = errno;
    die(EXIT_SETUP_FAILED, "clone(CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWPID|CLONE_NEWUTS|CLONE_NEWIPC%s): %s%s",
        spec->host_network ? "" : "|CLONE_NEWNET", strerror(err), clone_hint(err));
  }
  if (pid == 0) {
    close(sv[0]);
    report_set_child(sv[1]);
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) die_sys("prctl(PR_SET_PDEATHSIG)", "the container");
    if (pipes[0][1] >= 0 && (dup2(pipes[0][1], STDOUT_FILENO) < 0 || dup2(pipes[1][1], STDERR_FILENO) < 0)) die_sys("dup2", "the log pipes");
    container_init(spec, sv[1]);
  }
  close(sv[1]);
  for (int i = 0; i < 2; i++)
    if (pipes[i][1] >= 0) close(pipes[i][1]);
  sup.child = pid;
  idmap_write(spec, pid);
  cgroup_join(spec, pid);
  if (sync_send(sv[0], SYNC_GO, NULL, -1) < 0) die_sys("sendmsg", "sync");
  supervise(spec, &sup);
}
