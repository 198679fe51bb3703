/* `-t`: the pseudo-terminal comes from the container's own devpts instance (opened after the
 * switch into its root), so `tty` inside shows /dev/pts/N of the container; the master side is
 * passed to the helper, which relays it to its own stdin/stdout. */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* Returns the slave side; `*master_out` gets the master. */
int terminal_open_in_container(int *master_out) {
  int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) die_sys("open", "/dev/ptmx");
  int unlock = 0;
  if (ioctl(master, TIOCSPTLCK, &unlock) < 0) die_sys("ioctl(TIOCSPTLCK)", "/dev/ptmx");
  int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
  if (slave < 0) die_sys("ioctl(TIOCGPTPEER)", "/dev/ptmx");
  *master_out = master;
  return slave;
}

static struct termios saved;
static int saved_fd = -1;

void terminal_make_raw(int fd) {
  if (!isatty(fd) || tcgetattr(fd, &saved) < 0) return;
  struct termios raw = saved;
  cfmakeraw(&raw);
  if (tcsetattr(fd, TCSANOW, &raw) == 0) saved_fd = fd;
}

void terminal_restore(void) {
  if (saved_fd >= 0) tcsetattr(saved_fd, TCSANOW, &saved);
  saved_fd = -1;
}

void terminal_copy_size(int from_fd, int to_fd) {
  struct winsize ws;
  if (ioctl(from_fd, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) ioctl(to_fd, TIOCSWINSZ, &ws);
}
