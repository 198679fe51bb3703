/* layerlens-helper: the small native part of the runner. Node cannot clone into namespaces, so this
 * program does what Node cannot and nothing more. Shared declarations for every C file here. */
#ifndef LAYERLENS_HELPER_H
#define LAYERLENS_HELPER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

/* Exit codes of the helper itself, as Docker uses them. */
#define EXIT_SETUP_FAILED 125   /* the container could not be set up */
#define EXIT_CANNOT_EXEC 126    /* the command exists but cannot be run */
#define EXIT_NOT_FOUND 127      /* the command does not exist */

/* ---- spec.c: the request Node sends, NUL-separated `key=value` records ---- */

struct str_list {
  const char **items;
  size_t len, cap;
};

enum mount_kind { MOUNT_BIND, MOUNT_TMPFS };

struct mount_req {
  enum mount_kind kind;
  const char *source;  /* bind only: a host path */
  const char *target;  /* a path inside the container */
  const char *options; /* comma separated: ro, nosuid, nodev, noexec, and tmpfs size=, mode= */
};

struct rlimit_req {
  int resource;
  rlim_t soft, hard;
};

enum idmap_mode {
  IDMAP_ROOT,   /* we are root: write a full identity map directly */
  IDMAP_SUBID,  /* rootless with /etc/subuid: newuidmap/newgidmap map the user plus the range */
  IDMAP_SINGLE, /* rootless without a range: only the user's own id, setgroups denied */
};

struct spec {
  /* root file system: overlay of lowers (lowest first) + upper, mounted on `rootfs` */
  struct str_list lowers;
  const char *upper, *work, *rootfs;
  bool readonly_rootfs;
  /* identity */
  enum idmap_mode idmap;
  uid_t host_uid;
  gid_t host_gid;
  unsigned long subuid_start, subuid_count, subgid_start, subgid_count;
  /* namespaces and environment of the container */
  const char *hostname;
  bool host_network;
  struct mount_req *mounts;
  size_t n_mounts;
  struct str_list cgroups; /* cgroup directories the container joins */
  /* the process */
  struct str_list args, env;
  const char *cwd, *user;
  bool tty;
  bool privileged;         /* RUN --security=insecure: every capability, no seccomp, /sys writable */
  struct rlimit_req *rlimits;
  size_t n_rlimits;
  /* supervision */
  int status_fd;           /* lines for Node: started/warning/error/exited/signaled; -1: stderr */
  const char *status_file; /* the final status, written atomically (detached containers) */
  const char *log_file;    /* copy the container's output here too */
  struct str_list on_exit; /* a command exec'd by the helper after the container exited */
  bool die_with_parent;
  pid_t exec_pid;          /* exec mode: the container's init, as the host sees it */
  const char *remove_path; /* rmtree mode: the tree to delete inside the user namespace */
};

int spec_read(int fd, struct spec *spec);
int spec_read_file(const char *path, struct spec *spec);
void str_list_push(struct str_list *list, const char *item);

/* ---- report.c: every failure names the syscall and the path ---- */

void report_set_parent(int status_fd);
void report_set_child(int sync_fd);
void warnf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "SYSCALL PATH: strerror(errno)" and exit 125 */
_Noreturn void die_sys(const char *syscall_name, const char *path);
void status_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- sync.c: messages between the helper and the container's first process ---- */

enum sync_kind { SYNC_GO = 'G', SYNC_ERROR = 'E', SYNC_WARNING = 'W', SYNC_TERMINAL = 'T' };
int sync_send(int sock, char kind, const char *text, int fd);
/* Returns the kind, 0 on EOF (the child exec'd), -1 on error; `fd` receives a passed descriptor. */
int sync_recv(int sock, char *text, size_t size, int *fd);

/* ---- sys.c: thin wrappers of syscalls glibc may not wrap ---- */

int sys_fsopen(const char *fs, unsigned flags);
int sys_fsconfig(int fd, unsigned cmd, const char *key, const void *value, int aux);
int sys_fsmount(int fd, unsigned flags, unsigned attr);
int sys_move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags);
int sys_open_tree(int dfd, const char *path, unsigned flags);
int sys_mount_setattr(int dfd, const char *path, unsigned flags, unsigned long long attr_set,
                      unsigned long long attr_clr);
int sys_pivot_root(const char *new_root, const char *put_old);
int sys_pidfd_open(pid_t pid);
int sys_close_range(unsigned first, unsigned last);
int sys_openat2_in_root(int dirfd, const char *path, int flags, unsigned long long resolve);

/* ---- inroot.c: paths resolved inside the container's root, magic links refused ---- */

int open_dir_in_root(const char *path, const char *kind);
int open_file_in_root(const char *path, const char *kind);
int open_readable_in_root(const char *path);

/* ---- idmap.c ---- */

void idmap_write(const struct spec *spec, pid_t child);

/* ---- cgroup.c ---- */

void cgroup_join(const struct spec *spec, pid_t pid);

/* ---- rootfs.c: runs in the container's first process, ends after pivot_root ---- */

struct prepared_mounts; /* detached mounts made while the host tree is still reachable */
struct prepared_mounts *rootfs_prepare(const struct spec *spec);
void rootfs_enter(const struct spec *spec);
void rootfs_populate(const struct spec *spec, struct prepared_mounts *prepared);

/* ---- network.c ---- */

void network_loopback_up(void);

/* ---- user.c: names resolved in the container's /etc/passwd and /etc/group ---- */

struct resolved_user {
  uid_t uid;
  gid_t gid;
  gid_t groups[64];
  size_t n_groups;
  char home[256];
};

void user_resolve(const char *spec_user, struct resolved_user *out);

/* ---- caps.c ---- */

void caps_drop_bounding(void);
void caps_apply(bool keep_default_set);
void caps_keep_across_setuid(void);
void caps_apply_all(void);

/* ---- seccomp.c ---- */

void seccomp_install(void);

/* ---- terminal.c ---- */

int terminal_open_in_container(int *master_out);
void terminal_make_raw(int fd);
void terminal_restore(void);
void terminal_copy_size(int from_fd, int to_fd);

/* ---- process.c: the last steps before exec, shared by run and exec ---- */

_Noreturn void process_exec(const struct spec *spec, int sync_fd);

/* ---- supervise.c: the helper side, until the container exits ---- */

struct supervision {
  pid_t child;       /* the container's process, as the host sees it */
  int sync_fd;       /* until exec: errors, warnings, the terminal */
  int log_fd;        /* -1 or the log file */
  int out_pipe, err_pipe; /* -1 or the read ends of the container's stdout/stderr (when logging) */
};

_Noreturn void supervise(const struct spec *spec, struct supervision *sup);
void signals_block(void);
void signals_unblock(void);

/* ---- modes ---- */

/* The process that started the helper; with die-with-parent, a helper whose parent is already
 * gone (it died before PR_SET_PDEATHSIG) stops at once. */
extern pid_t helper_parent;
void die_with_parent(const struct spec *spec);

_Noreturn void run_container(struct spec *spec);
_Noreturn void exec_in_container(struct spec *spec);
_Noreturn void remove_tree(struct spec *spec);
_Noreturn void hold_lock(const char *file);

#endif
