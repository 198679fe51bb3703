/* Capabilities: the bounding set is cut down to the set container engines grant by default; root
 * in the container keeps that set, other users start with none (as with Docker since the
 * CVE-2022-24769 fix); the inheritable and ambient sets are always empty.
 * A privileged process (RUN --security=insecure) instead keeps every capability the kernel has in
 * every set, and in the ambient set too so that a non-root user keeps them across exec. */
#include "helper.h"

#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static const int default_caps[] = {
  CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_FSETID, CAP_FOWNER, CAP_MKNOD, CAP_NET_RAW, CAP_SETGID,
  CAP_SETUID, CAP_SETFCAP, CAP_SETPCAP, CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_KILL, CAP_AUDIT_WRITE,
};

static bool is_default(int cap) {
  for (size_t i = 0; i < sizeof default_caps / sizeof default_caps[0]; i++)
    if (default_caps[i] == cap) return true;
  return false;
}

void caps_drop_bounding(void) {
  for (int cap = 0; cap <= 63; cap++) {
    if (is_default(cap)) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
      if (errno == EINVAL) break; /* past the kernel's last capability */
      die_sys("prctl(PR_CAPBSET_DROP)", "the bounding set");
    }
  }
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) die_sys("prctl(PR_CAP_AMBIENT_CLEAR_ALL)", "the ambient set");
}

void caps_apply(bool keep_default_set) {
  struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
  struct __user_cap_data_struct data[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
  if (keep_default_set)
    for (size_t i = 0; i < sizeof default_caps / sizeof default_caps[0]; i++) {
      int cap = default_caps[i];
      data[cap / 32].effective |= 1u << (cap % 32);
      data[cap / 32].permitted |= 1u << (cap % 32);
    }
  if (syscall(SYS_capset, &header, data) < 0) die_sys("capset", "the process");
}

/* Before the switch to a non-root user: keep the permitted set (the effective set is restored by
 * caps_apply_all). */
void caps_keep_across_setuid(void) {
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0) die_sys("prctl(PR_SET_KEEPCAPS)", "the process");
}

static int last_cap(void) {
  int cap = 0;
  while (cap < 63 && prctl(PR_CAPBSET_READ, cap + 1, 0, 0, 0) >= 0) cap++;
  return cap;
}

void caps_apply_all(void) {
  struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
  struct __user_cap_data_struct data[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
  int last = last_cap();
  for (int cap = 0; cap <= last; cap++) {
    data[cap / 32].effective |= 1u << (cap % 32);
    data[cap / 32].permitted |= 1u << (cap % 32);
    data[cap / 32].inheritable |= 1u << (cap % 32);
  }
  if (syscall(SYS_capset, &header, data) < 0) die_sys("capset", "the process (every capability)");
  for (int cap = 0; cap <= last; cap++)
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) die_sys("prctl(PR_CAP_AMBIENT_RAISE)", "the ambient set");
  if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0) die_sys("prctl(PR_SET_KEEPCAPS)", "the process");
}
