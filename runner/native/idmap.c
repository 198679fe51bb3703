/* The container's user namespace maps, written by the helper from outside once the child exists.
 * root: a full identity map, written directly. Rootless with a subordinate range: newuidmap and
 * newgidmap (setuid, from the uidmap package) map the user to 0 and the range to 1..N. Rootless
 * without one: the user alone becomes 0, and setgroups must be denied before the gid map. */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void write_proc_file(pid_t pid, const char *name, const char *content) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", pid, name);
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) die_sys("open", path);
  ssize_t n = write(fd, content, strlen(content));
  if (n != (ssize_t)strlen(content)) die_sys("write", path);
  close(fd);
}

static void run_map_tool(const char *tool, pid_t pid, unsigned long host_id, unsigned long start, unsigned long count) {
  char spid[16], shost[24], sstart[24], scount[24];
  snprintf(spid, sizeof spid, "%d", pid);
  snprintf(shost, sizeof shost, "%lu", host_id);
  snprintf(sstart, sizeof sstart, "%lu", start);
  snprintf(scount, sizeof scount, "%lu", count);
  pid_t tool_pid = fork();
  if (tool_pid < 0) die_sys("fork", tool);
  if (tool_pid == 0) {
    signals_unblock();
    execlp(tool, tool, spid, "0", shost, "1", "1", sstart, scount, (char *)NULL);
    fprintf(stderr, "layerlens-helper: execvp %s: %s (install the uidmap package)\n", tool, strerror(errno));
    _exit(127);
  }
  int status;
  while (waitpid(tool_pid, &status, 0) < 0)
    if (errno != EINTR) die_sys("waitpid", tool);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    die(EXIT_SETUP_FAILED, "%s %s 0 %s 1 1 %s %s failed (status %d): check /etc/subuid and /etc/subgid for this user",
        tool, spid, shost, sstart, scount, status);
}

void idmap_write(const struct spec *spec, pid_t child) {
  char map[64];
  switch (spec->idmap) {
  case IDMAP_ROOT:
    write_proc_file(child, "uid_map", "0 0 4294967295\n");
    write_proc_file(child, "gid_map", "0 0 4294967295\n");
    break;
  case IDMAP_SUBID:
    run_map_tool("newuidmap", child, spec->host_uid, spec->subuid_start, spec->subuid_count);
    run_map_tool("newgidmap", child, spec->host_gid, spec->subgid_start, spec->subgid_count);
    break;
  case IDMAP_SINGLE:
    write_proc_file(child, "setgroups", "deny\n");
    snprintf(map, sizeof map, "0 %u 1\n", spec->host_uid);
    write_proc_file(child, "uid_map", map);
    snprintf(map, sizeof map, "0 %u 1\n", spec->host_gid);
    write_proc_file(child, "gid_map", map);
    break;
  }
}
