/* The TypeScript side creates the container's cgroups and writes their limits (cgroup v2, or the
 * v1 hierarchies where v2 lacks a controller); the helper only moves the container into them,
 * before the container runs anything. */
#include "helper.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

void cgroup_join(const struct spec *spec, pid_t pid) {
  char path[4096], spid[16];
  int len = snprintf(spid, sizeof spid, "%d", pid);
  for (size_t i = 0; i < spec->cgroups.len; i++) {
    snprintf(path, sizeof path, "%s/cgroup.procs", spec->cgroups.items[i]);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) die_sys("open", path);
    if (write(fd, spid, (size_t)len) != len) die_sys("write", path);
    close(fd);
  }
}
