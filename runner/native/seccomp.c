/* A deny-list seccomp filter like the default profile of common container engines, written as
 * classic BPF. Layout of the program:
 *   1. a foreign architecture (32-bit or x32 calls would bypass the syscall numbers) is killed;
 *   2. each denied syscall: `if (nr == N) return ERRNO(e)`;
 *   3. syscalls denied only for some arguments (clone with namespace flags, personality);
 *   4. everything else is allowed.
 * Installed last, right before exec, with no_new_privs already set. */
#include "helper.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define NATIVE_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NATIVE_ARCH AUDIT_ARCH_AARCH64
#else
#error "layerlens-helper: add this architecture's AUDIT_ARCH to seccomp.c"
#endif

struct denied { int nr; int err; };

/* Kernel administration, modules, keys, time, namespaces and mounts (the container has its own
 * already), tracing and introspection of other processes, and io_uring (which bypasses filters). */
static const struct denied denied_syscalls[] = {
  { SYS_acct, EPERM }, { SYS_add_key, EPERM }, { SYS_bpf, EPERM }, { SYS_clock_adjtime, EPERM },
  { SYS_clock_settime, EPERM }, { SYS_delete_module, EPERM }, { SYS_finit_module, EPERM },
  { SYS_init_module, EPERM }, { SYS_get_mempolicy, EPERM }, { SYS_set_mempolicy, EPERM },
  { SYS_mbind, EPERM }, { SYS_move_pages, EPERM }, { SYS_kcmp, EPERM }, { SYS_kexec_load, EPERM },
  { SYS_kexec_file_load, EPERM }, { SYS_keyctl, EPERM }, { SYS_request_key, EPERM },
  { SYS_lookup_dcookie, EPERM }, { SYS_mount, EPERM }, { SYS_umount2, EPERM }, { SYS_pivot_root, EPERM },
  { SYS_name_to_handle_at, EPERM }, { SYS_open_by_handle_at, EPERM }, { SYS_perf_event_open, EPERM },
  { SYS_process_vm_readv, EPERM }, { SYS_process_vm_writev, EPERM }, { SYS_quotactl, EPERM },
  { SYS_reboot, EPERM }, { SYS_setns, EPERM }, { SYS_unshare, EPERM }, { SYS_settimeofday, EPERM },
  { SYS_swapon, EPERM }, { SYS_swapoff, EPERM }, { SYS_syslog, EPERM }, { SYS_userfaultfd, EPERM },
  { SYS_vhangup, EPERM }, { SYS_fanotify_init, EPERM }, { SYS_sethostname, EPERM },
  { SYS_setdomainname, EPERM }, { SYS_open_tree, EPERM }, { SYS_move_mount, EPERM },
  { SYS_fsopen, EPERM }, { SYS_fsconfig, EPERM }, { SYS_fsmount, EPERM }, { SYS_fspick, EPERM },
  { SYS_mount_setattr, EPERM }, { SYS_io_uring_setup, EPERM }, { SYS_io_uring_enter, EPERM },
  { SYS_io_uring_register, EPERM },
  { SYS_clone3, ENOSYS }, /* its flags live in memory BPF cannot read: make libc fall back to clone */
#if defined(__x86_64__)
  { SYS_create_module, EPERM }, { SYS_get_kernel_syms, EPERM }, { SYS_query_module, EPERM },
  { SYS_nfsservctl, EPERM }, { SYS_ioperm, EPERM }, { SYS_iopl, EPERM }, { SYS_sysfs, EPERM },
  { SYS__sysctl, EPERM }, { SYS_uselib, EPERM }, { SYS_ustat, EPERM }, { SYS_modify_ldt, EPERM },
#endif
};

#define NAMESPACE_FLAGS (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP)
/* personality() values that only select a Linux flavour (PER_LINUX, PER_LINUX32, UNAME26 ones, query) */
static const unsigned allowed_personalities[] = { 0x0, 0x8, 0x20000, 0x20008, 0xffffffff };

#define MAX_INSNS 256
struct program { struct sock_filter insns[MAX_INSNS]; unsigned short len; };

static void emit(struct program *p, unsigned short code, unsigned k, unsigned char jt, unsigned char jf) {
  if (p->len == MAX_INSNS) die(EXIT_SETUP_FAILED, "seccomp: filter too long");
  p->insns[p->len++] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
}

#define LOAD(field) emit(p, BPF_LD | BPF_W | BPF_ABS, (unsigned)offsetof(struct seccomp_data, field), 0, 0)
#define RET(value) emit(p, BPF_RET | BPF_K, (value), 0, 0)
#define ERRNO(e) (SECCOMP_RET_ERRNO | ((unsigned)(e) & SECCOMP_RET_DATA))

static void build(struct program *p) {
  /* 1. architecture */
  LOAD(arch);
  emit(p, BPF_JMP | BPF_JEQ | BPF_K, NATIVE_ARCH, 1, 0);
  RET(SECCOMP_RET_KILL_PROCESS);
  LOAD(nr);
#if defined(__x86_64__)
  emit(p, BPF_JMP | BPF_JGE | BPF_K, 0x40000000 /* __X32_SYSCALL_BIT */, 0, 1);
  RET(SECCOMP_RET_KILL_PROCESS);
#endif
  /* 2. denied outright */
  for (size_t i = 0; i < sizeof denied_syscalls / sizeof denied_syscalls[0]; i++) {
    emit(p, BPF_JMP | BPF_JEQ | BPF_K, (unsigned)denied_syscalls[i].nr, 0, 1);
    RET(ERRNO(denied_syscalls[i].err));
  }
  /* 3a. clone: no new namespaces (the flags are the first argument, low 32 bits) */
  emit(p, BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 4);
  LOAD(args[0]);
  emit(p, BPF_JMP | BPF_JSET | BPF_K, NAMESPACE_FLAGS, 0, 1);
  RET(ERRNO(EPERM));
  RET(SECCOMP_RET_ALLOW);
  /* 3b. personality: only the harmless values */
  const unsigned char n = sizeof allowed_personalities / sizeof allowed_personalities[0];
  emit(p, BPF_JMP | BPF_JEQ | BPF_K, SYS_personality, 0, (unsigned char)(n + 3));
  LOAD(args[0]);
  for (unsigned char i = 0; i < n; i++) emit(p, BPF_JMP | BPF_JEQ | BPF_K, allowed_personalities[i], (unsigned char)(n - i), 0);
  RET(ERRNO(EPERM));
  RET(SECCOMP_RET_ALLOW);
  /* 4. the rest */
  RET(SECCOMP_RET_ALLOW);
}

void seccomp_install(void) {
  static struct program program;
  program.len = 0;
  build(&program);
  struct sock_fprog prog = { .len = program.len, .filter = program.insns };
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0) die_sys("prctl(PR_SET_SECCOMP)", "the default filter");
}
