/* The container's file system, in three steps run by its first process:
 *   rootfs_prepare: private propagation, the overlay on the rootfs mount point, and every mount that
 *     needs the host tree (a fresh /proc and /sys, the /dev nodes, bind sources) made as a detached
 *     mount (new mount API) while the host tree is still reachable;
 *   rootfs_enter:   pivot_root into the overlay and detach the old root (never a chroot);
 *   rootfs_populate: attach the detached mounts at paths resolved inside the new root, where a
 *     symlink in the image can no longer lead out; then masked and read-only paths. */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef FSOPEN_CLOEXEC
#define FSOPEN_CLOEXEC 0x00000001
#define FSMOUNT_CLOEXEC 0x00000001
#define FSCONFIG_SET_FLAG 0
#define FSCONFIG_SET_STRING 1
#define FSCONFIG_CMD_CREATE 6
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#define OPEN_TREE_CLONE 1
#define MOUNT_ATTR_RDONLY 0x00000001
#define MOUNT_ATTR_NOSUID 0x00000002
#define MOUNT_ATTR_NODEV 0x00000004
#define MOUNT_ATTR_NOEXEC 0x00000008
#define MOUNT_ATTR_STRICTATIME 0x00000020
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#define OPEN_TREE_FLAGS (OPEN_TREE_CLONE | O_CLOEXEC)

static const char *const device_nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
#define N_DEVICES (sizeof device_nodes / sizeof device_nodes[0])

/* What engines mask (hide) and make read-only in /proc and /sys by default. */
static const char *const masked_paths[] = {
  "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
  "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
  "/sys/devices/virtual/powercap",
};
static const char *const readonly_paths[] = {
  "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};

struct prepared_mounts {
  int proc;
  int sys;
  int devices[N_DEVICES];
  int *binds;        /* one per spec mount: a detached clone of the bind source, or -1 */
  bool *bind_is_dir;
};

/* ---- small mount helpers ---- */

static void fs_set(int fs, const char *fstype, const char *key, const char *value) {
  int ret = value ? sys_fsconfig(fs, FSCONFIG_SET_STRING, key, value, 0) : sys_fsconfig(fs, FSCONFIG_SET_FLAG, key, NULL, 0);
  if (ret < 0) {
    int err = errno;
    die(EXIT_SETUP_FAILED, "fsconfig %s %s%s%s: %s", fstype, key, value ? "=" : "", value ? value : "", strerror(err));
  }
}

/* A new, detached file system instance; options are `key=value` or flags, comma separated. */
static int new_fs(const char *fstype, const char *options, unsigned attrs) {
  int fs = sys_fsopen(fstype, FSOPEN_CLOEXEC);
  if (fs < 0) die_sys("fsopen", fstype);
  if (options && *options) {
    char *copy = strdup(options), *save = NULL;
    for (char *opt = strtok_r(copy, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
      char *eq = strchr(opt, '=');
      if (eq) *eq = 0;
      fs_set(fs, fstype, opt, eq ? eq + 1 : NULL);
    }
    free(copy);
  }
  if (sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) die_sys("fsconfig(FSCONFIG_CMD_CREATE)", fstype);
  int mnt = sys_fsmount(fs, FSMOUNT_CLOEXEC, attrs);
  if (mnt < 0) die_sys("fsmount", fstype);
  close(fs);
  return mnt;
}

static int clone_tree(const char *path, bool recursive) {
  int fd = sys_open_tree(AT_FDCWD, path, OPEN_TREE_FLAGS | (recursive ? AT_RECURSIVE : 0));
  if (fd < 0) die_sys("open_tree", path);
  return fd;
}

static void set_attrs(int tree, const char *what, unsigned long long attrs) {
  if (attrs && sys_mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, attrs, 0) < 0) die_sys("mount_setattr", what);
}

static void attach(int tree, const char *target) {
  if (sys_move_mount(tree, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) < 0) die_sys("move_mount", target);
  close(tree);
}

/* Onto a target the image could shape with symlinks: resolved inside the root, no magic links. */
static void attach_in_root(int tree, const char *target, bool directory) {
  int fd = directory ? open_dir_in_root(target, "mount target") : open_file_in_root(target, "mount target");
  if (sys_move_mount(tree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) die_sys("move_mount", target);
  close(fd);
  close(tree);
}

static unsigned flag_attrs(const char *options) {
  unsigned attrs = 0;
  char *copy = strdup(options), *save = NULL;
  for (char *opt = strtok_r(copy, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
    if (!strcmp(opt, "ro")) attrs |= MOUNT_ATTR_RDONLY;
    else if (!strcmp(opt, "nosuid")) attrs |= MOUNT_ATTR_NOSUID;
    else if (!strcmp(opt, "nodev")) attrs |= MOUNT_ATTR_NODEV;
    else if (!strcmp(opt, "noexec")) attrs |= MOUNT_ATTR_NOEXEC;
  }
  free(copy);
  return attrs;
}

/* The fs-specific part of tmpfs options: flags (ro, nosuid...) become mount attributes instead. */
static char *fs_options(const char *options) {
  char *out = calloc(1, strlen(options) + 1), *copy = strdup(options), *save = NULL;
  for (char *opt = strtok_r(copy, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
    if (!strcmp(opt, "ro") || !strcmp(opt, "rw") || !strcmp(opt, "nosuid") || !strcmp(opt, "nodev") || !strcmp(opt, "noexec")) continue;
    if (*out) strcat(out, ",");
    strcat(out, opt);
  }
  free(copy);
  return out;
}

/* ---- paths inside the new root (after pivot_root: symlinks resolve inside it) ---- */

static void mkdir_p(const char *path, mode_t mode) {
  char buf[4096];
  if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) die(EXIT_SETUP_FAILED, "path too long: %s", path);
  for (char *p = buf + 1;; p++) {
    if (*p == '/' || *p == 0) {
      char saved = *p;
      *p = 0;
      if (mkdir(buf, mode) < 0 && errno != EEXIST) die_sys("mkdir", buf);
      *p = saved;
      if (!saved) break;
    }
  }
  struct stat st;
  if (stat(path, &st) < 0) die_sys("stat", path);
  if (!S_ISDIR(st.st_mode)) die(EXIT_SETUP_FAILED, "mount target %s exists and is not a directory", path);
}

static void make_file(const char *path) {
  char parent[4096];
  snprintf(parent, sizeof parent, "%s", path);
  char *slash = strrchr(parent, '/');
  if (slash && slash != parent) {
    *slash = 0;
    mkdir_p(parent, 0755);
  }
  /* mknod never opens what is there already (a FIFO would block) */
  if (mknod(path, S_IFREG | 0644, 0) < 0 && errno != EEXIST) die_sys("mknod", path);
}

/* ---- the root file system ---- */

/* "/proc/self/fd/N": short, comma-free names for layer directories however long their paths are.
 * The descriptors are closed as soon as the overlay is mounted. */
static int layer_fds[4096];
static size_t n_layer_fds;

static const char *fd_path(const char *dir) {
  int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) die_sys("open", dir);
  if (n_layer_fds == sizeof layer_fds / sizeof layer_fds[0]) die(EXIT_SETUP_FAILED, "too many layers");
  layer_fds[n_layer_fds++] = fd;
  char *name = malloc(32);
  snprintf(name, 32, "/proc/self/fd/%d", fd);
  return name;
}

static void close_layer_fds(void) {
  while (n_layer_fds) close(layer_fds[--n_layer_fds]);
}

/* overlayfs (userxattr: the mount is always made inside a user namespace) of the lowers plus the
 * upper; `lowerdir+` adds one layer per call (kernel 6.8), else the classic option string. */
static void mount_overlay(const struct spec *spec) {
  const char **lowers = calloc(spec->lowers.len + 1, sizeof(char *));
  for (size_t i = 0; i < spec->lowers.len; i++) lowers[i] = fd_path(spec->lowers.items[spec->lowers.len - 1 - i]); /* top first */
  const char *upper = spec->upper ? fd_path(spec->upper) : NULL;
  const char *work = spec->upper ? fd_path(spec->work) : NULL;

  int fs = sys_fsopen("overlay", FSOPEN_CLOEXEC);
  if (fs < 0) die(EXIT_SETUP_FAILED, "fsopen overlay: %s (is the overlay module loaded? `modprobe overlay`)", strerror(errno));
  bool appended = sys_fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir+", lowers[0], 0) == 0;
  if (appended) {
    for (size_t i = 1; i < spec->lowers.len; i++) fs_set(fs, "overlay", "lowerdir+", lowers[i]);
    if (upper) {
      fs_set(fs, "overlay", "upperdir", upper);
      fs_set(fs, "overlay", "workdir", work);
    }
    fs_set(fs, "overlay", "userxattr", NULL);
    if (sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
      int err = errno;
      die(EXIT_SETUP_FAILED, "fsconfig(FSCONFIG_CMD_CREATE) overlay on %s: %s%s", spec->rootfs, strerror(err),
          err == EINVAL ? " (overlayfs in a user namespace needs Linux 5.11 or later)" : "");
    }
    int mnt = sys_fsmount(fs, FSMOUNT_CLOEXEC, 0);
    if (mnt < 0) die_sys("fsmount overlay", spec->rootfs);
    attach(mnt, spec->rootfs);
    close(fs);
    close_layer_fds();
    return;
  }
  close(fs);
  size_t size = 64;
  for (size_t i = 0; i < spec->lowers.len; i++) size += strlen(lowers[i]) + 1;
  char *data = malloc(size + 128);
  strcpy(data, "lowerdir=");
  for (size_t i = 0; i < spec->lowers.len; i++) {
    if (i) strcat(data, ":");
    strcat(data, lowers[i]);
  }
  if (upper) sprintf(data + strlen(data), ",upperdir=%s,workdir=%s", upper, work);
  strcat(data, ",userxattr");
  if (mount("overlay", spec->rootfs, "overlay", 0, data) < 0) {
    int err = errno;
    die(EXIT_SETUP_FAILED, "mount overlay on %s: %s%s", spec->rootfs, strerror(err),
        err == EINVAL ? " (overlayfs in a user namespace needs Linux 5.11 or later)" : "");
  }
  free(data);
  close_layer_fds();
}

static void mount_rootfs(const struct spec *spec) {
  if (spec->upper && spec->lowers.len == 0) { /* FROM scratch: the writable layer is the root */
    attach(clone_tree(spec->upper, false), spec->rootfs);
  } else if (!spec->upper && spec->lowers.len == 1) {
    int tree = clone_tree(spec->lowers.items[0], false);
    set_attrs(tree, spec->lowers.items[0], MOUNT_ATTR_RDONLY);
    attach(tree, spec->rootfs);
  } else {
    mount_overlay(spec);
  }
}

struct prepared_mounts *rootfs_prepare(const struct spec *spec) {
  if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) die_sys("mount(MS_REC|MS_PRIVATE)", "/");
  mount_rootfs(spec);

  struct prepared_mounts *p = calloc(1, sizeof *p);
  /* proc and sysfs may only be mounted while a full instance is visible: make them now */
  p->proc = new_fs("proc", NULL, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
  const unsigned sys_attrs = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
  p->sys = -1;
  if (!spec->host_network) { /* a sysfs instance belongs to a network namespace we own */
    /* privileged: our own instance writable; the host's /sys (below) stays read-only */
    const unsigned own_attrs = spec->privileged ? sys_attrs & ~(unsigned)MOUNT_ATTR_RDONLY : sys_attrs;
    int fs = sys_fsopen("sysfs", FSOPEN_CLOEXEC);
    if (fs >= 0 && sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0) p->sys = sys_fsmount(fs, FSMOUNT_CLOEXEC, own_attrs);
    if (fs >= 0) close(fs);
  }
  if (p->sys < 0) { /* the host's network: a read-only view of the host's /sys */
    p->sys = clone_tree("/sys", true);
    set_attrs(p->sys, "/sys", sys_attrs);
  }
  for (size_t i = 0; i < N_DEVICES; i++) {
    char path[32];
    snprintf(path, sizeof path, "/dev/%s", device_nodes[i]);
    p->devices[i] = clone_tree(path, false);
  }
  p->binds = calloc(spec->n_mounts + 1, sizeof(int));
  p->bind_is_dir = calloc(spec->n_mounts + 1, sizeof(bool));
  for (size_t i = 0; i < spec->n_mounts; i++) {
    const struct mount_req *m = &spec->mounts[i];
    p->binds[i] = -1;
    if (m->kind != MOUNT_BIND) continue;
    struct stat st;
    if (stat(m->source, &st) < 0) die_sys("stat", m->source);
    p->bind_is_dir[i] = S_ISDIR(st.st_mode);
    p->binds[i] = clone_tree(m->source, true);
    set_attrs(p->binds[i], m->source, flag_attrs(m->options));
  }
  return p;
}

void rootfs_enter(const struct spec *spec) {
  if (chdir(spec->rootfs) < 0) die_sys("chdir", spec->rootfs);
  /* pivot_root(".", "."): the old root ends up stacked on the new one, then is detached */
  if (sys_pivot_root(".", ".") < 0) die_sys("pivot_root", spec->rootfs);
  if (umount2(".", MNT_DETACH) < 0) die_sys("umount2(MNT_DETACH)", "the old root");
  if (chdir("/") < 0) die_sys("chdir", "/");
}

static void populate_dev(const struct spec *spec, struct prepared_mounts *p) {
  attach_in_root(new_fs("tmpfs", "mode=755,size=65536k", MOUNT_ATTR_NOSUID | MOUNT_ATTR_STRICTATIME), "/dev", true);
  /* from here on, /dev is our own fresh tmpfs */
  for (size_t i = 0; i < N_DEVICES; i++) {
    char path[32];
    snprintf(path, sizeof path, "/dev/%s", device_nodes[i]);
    make_file(path);
    attach(p->devices[i], path);
  }
  mkdir_p("/dev/pts", 0755);
  /* gid 5 (tty) exists only when the user namespace maps more than one id */
  const char *pts_options = spec->idmap == IDMAP_SINGLE ? "newinstance,ptmxmode=0666,mode=0620" : "newinstance,ptmxmode=0666,mode=0620,gid=5";
  attach(new_fs("devpts", pts_options, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC), "/dev/pts");
  mkdir_p("/dev/shm", 01777);
  attach(new_fs("tmpfs", "mode=1777,size=65536k", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC), "/dev/shm");
  mkdir_p("/dev/mqueue", 0755);
  int fs = sys_fsopen("mqueue", FSOPEN_CLOEXEC);
  if (fs >= 0 && sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0) {
    int mq = sys_fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
    if (mq >= 0) attach(mq, "/dev/mqueue");
  }
  if (fs >= 0) close(fs);
  static const char *const links[][2] = {
    { "pts/ptmx", "/dev/ptmx" }, { "/proc/self/fd", "/dev/fd" }, { "/proc/self/fd/0", "/dev/stdin" },
    { "/proc/self/fd/1", "/dev/stdout" }, { "/proc/self/fd/2", "/dev/stderr" },
  };
  for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
    if (symlink(links[i][0], links[i][1]) < 0) die_sys("symlink", links[i][1]);
}

static void mask_paths(void) {
  for (size_t i = 0; i < sizeof masked_paths / sizeof masked_paths[0]; i++) {
    struct stat st;
    if (lstat(masked_paths[i], &st) < 0) continue; /* not on this kernel */
    int tree = S_ISDIR(st.st_mode) ? new_fs("tmpfs", NULL, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)
                                   : clone_tree("/dev/null", false);
    attach(tree, masked_paths[i]);
  }
  for (size_t i = 0; i < sizeof readonly_paths / sizeof readonly_paths[0]; i++) {
    struct stat st;
    if (lstat(readonly_paths[i], &st) < 0) continue;
    int tree = clone_tree(readonly_paths[i], true);
    set_attrs(tree, readonly_paths[i], MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
    attach(tree, readonly_paths[i]);
  }
}

void rootfs_populate(const struct spec *spec, struct prepared_mounts *p) {
  attach_in_root(p->proc, "/proc", true);
  populate_dev(spec, p);
  attach_in_root(p->sys, "/sys", true);
  for (size_t i = 0; i < spec->n_mounts; i++) {
    const struct mount_req *m = &spec->mounts[i];
    if (m->kind == MOUNT_BIND) {
      attach_in_root(p->binds[i], m->target, p->bind_is_dir[i]);
    } else {
      char *options = fs_options(m->options);
      attach_in_root(new_fs("tmpfs", options, flag_attrs(m->options) | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV), m->target, true);
      free(options);
    }
  }
  mask_paths();
  if (spec->readonly_rootfs && sys_mount_setattr(AT_FDCWD, "/", 0, MOUNT_ATTR_RDONLY, 0) < 0) die_sys("mount_setattr(MOUNT_ATTR_RDONLY)", "/");
}
