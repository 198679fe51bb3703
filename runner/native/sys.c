/* Raw syscalls for the new mount API, pidfds and openat2: older C libraries do not wrap them, and
 * the helper must build against any glibc that can link statically. */
#include "helper.h"

#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_open_tree
#define __NR_open_tree 428
#define __NR_move_mount 429
#define __NR_fsopen 430
#define __NR_fsconfig 431
#define __NR_fsmount 432
#endif
#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif
#ifndef __NR_close_range
#define __NR_close_range 436
#endif
#ifndef __NR_openat2
#define __NR_openat2 437
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif

struct ll_mount_attr {
  unsigned long long attr_set, attr_clr, propagation, userns_fd;
};

int sys_fsopen(const char *fs, unsigned flags) { return (int)syscall(__NR_fsopen, fs, flags); }

int sys_fsconfig(int fd, unsigned cmd, const char *key, const void *value, int aux) {
  return (int)syscall(__NR_fsconfig, fd, cmd, key, value, aux);
}

int sys_fsmount(int fd, unsigned flags, unsigned attr) { return (int)syscall(__NR_fsmount, fd, flags, attr); }

int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags) {
  return (int)syscall(__NR_move_mount, from_dfd, from, to_dfd, to, flags);
}

int sys_open_tree(int dfd, const char *path, unsigned flags) { return (int)syscall(__NR_open_tree, dfd, path, flags); }

int sys_mount_setattr(int dfd, const char *path, unsigned flags, unsigned long long attr_set, unsigned long long attr_clr) {
  struct ll_mount_attr attr = { .attr_set = attr_set, .attr_clr = attr_clr };
  return (int)syscall(__NR_mount_setattr, dfd, path, flags, &attr, sizeof attr);
}

int sys_pivot_root(const char *new_root, const char *put_old) { return (int)syscall(SYS_pivot_root, new_root, put_old); }

int sys_pidfd_open(pid_t pid) { return (int)syscall(__NR_pidfd_open, pid, 0); }

int sys_close_range(unsigned first, unsigned last) { return (int)syscall(__NR_close_range, first, last, 0); }

int sys_openat2_in_root(int dirfd, const char *path, int flags, unsigned long long resolve) {
  struct open_how how = { .flags = (unsigned long long)flags, .resolve = resolve };
  return (int)syscall(__NR_openat2, dirfd, path, &how, sizeof how);
}
