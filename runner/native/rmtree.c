/* `rmtree`: a rootless container with a subordinate id range leaves files owned by those ids in
 * its writable layer, which the user cannot delete from outside. Inside a user namespace with the
 * same map the user is root over all of them: delete the tree there (never crossing mounts). */
#include "helper.h"

#include <errno.h>
#include <ftw.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  (void)ftw;
  int ret = type == FTW_DP ? rmdir(path) : unlink(path);
  if (ret < 0 && errno != ENOENT) die_sys(type == FTW_DP ? "rmdir" : "unlink", path);
  return 0;
}

_Noreturn void remove_tree(struct spec *spec) {
  report_set_parent(spec->status_fd);
  signals_block();
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) die_sys("socketpair", "sync");
  pid_t pid = (pid_t)syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, NULL, NULL, NULL, NULL);
  if (pid < 0) die_sys("clone(CLONE_NEWUSER)", spec->remove_path);
  if (pid == 0) {
    close(sv[0]);
    report_set_child(sv[1]);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    char text[64];
    if (sync_recv(sv[1], text, sizeof text, NULL) != SYNC_GO) _exit(EXIT_SETUP_FAILED);
    /* directories left without permissions (overlayfs' work/work) are no obstacle to root */
    if (nftw(spec->remove_path, remove_entry, 64, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT) die_sys("nftw", spec->remove_path);
    _exit(0);
  }
  close(sv[1]);
  idmap_write(spec, pid);
  if (sync_send(sv[0], SYNC_GO, NULL, -1) < 0) die_sys("sendmsg", "sync");
  char error[1100] = "";
  int kind;
  while ((kind = sync_recv(sv[0], error, sizeof error, NULL)) > 0 && kind != SYNC_ERROR) {}
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) die_sys("waitpid", spec->remove_path);
  if (kind == SYNC_ERROR) die(EXIT_SETUP_FAILED, "%s", error);
  if (!WIFEXITED(status) || WEXITSTATUS(status)) die(EXIT_SETUP_FAILED, "removing %s failed (status %d)", spec->remove_path, status);
  _exit(0);
}
