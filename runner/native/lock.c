/* `layerlens-helper lock FILE`: holds flock(2) on FILE for as long as its stdin stays open. It
 * prints "locked" on stdout once it has the lock, then waits for EOF on stdin: Node closes the pipe
 * to release it, and the kernel closes it when Node dies (PR_SET_PDEATHSIG also kills this process
 * then), so the lock never outlives its holder. One static exec replaces flock + sh + cat. */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <unistd.h>

_Noreturn void hold_lock(const char *file) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) die_sys("prctl(PR_SET_PDEATHSIG)", file);
  if (getppid() != helper_parent) _exit(EXIT_SETUP_FAILED);
  int fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0) die_sys("open", file);
  while (flock(fd, LOCK_EX) < 0) {
    if (errno != EINTR) die_sys("flock", file);
  }
  static const char locked[] = "locked\n";
  if (write(STDOUT_FILENO, locked, sizeof locked - 1) != (ssize_t)(sizeof locked - 1)) _exit(EXIT_SETUP_FAILED);
  char buf[64];
  for (;;) {
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    if (n == 0 || (n < 0 && errno != EINTR)) break;
  }
  _exit(0); /* closing fd releases the lock */
}
