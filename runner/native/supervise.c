/* The helper's side while the container runs: it learns whether set-up and exec succeeded, then
 * forwards signals, relays the terminal and copies output to the log, reaps the container and
 * reports how it ended (exit code or signal) on the status fd, in the status file and as its own
 * exit code (128+N for a signal, as shells do). */
#include "helper.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static const int forwarded_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM };

static sigset_t handled_set(void) {
  sigset_t set;
  sigemptyset(&set);
  for (size_t i = 0; i < sizeof forwarded_signals / sizeof forwarded_signals[0]; i++) sigaddset(&set, forwarded_signals[i]);
  sigaddset(&set, SIGCHLD);
  sigaddset(&set, SIGWINCH);
  return set;
}

/* Blocked before the clone, so nothing is lost between clone and the signalfd. */
void signals_block(void) {
  sigset_t set = handled_set();
  if (sigprocmask(SIG_BLOCK, &set, NULL) < 0) die_sys("sigprocmask", "the helper");
  signal(SIGPIPE, SIG_IGN);
}

void signals_unblock(void) {
  sigset_t set;
  sigemptyset(&set);
  sigprocmask(SIG_SETMASK, &set, NULL);
  signal(SIGPIPE, SIG_DFL);
}

/* Copies what is readable from `from` to `to` (and the log); false at EOF or on error. */
static bool pump(int from, int to, int log_fd) {
  char buf[16384];
  ssize_t n = read(from, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false; /* EOF, or EIO: the terminal's last user is gone */
  for (int i = 0; i < 2; i++) {
    int fd = i ? log_fd : to;
    for (ssize_t off = 0; fd >= 0 && off < n;) {
      ssize_t w = write(fd, buf + off, (size_t)(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0 && errno == EAGAIN) {
        struct pollfd p = { .fd = fd, .events = POLLOUT };
        poll(&p, 1, 1000);
        continue;
      }
      if (w <= 0) break; /* a closed reader must not stop the container */
      off += w;
    }
  }
  return true;
}

/* Until exec: warnings, the terminal's master side, or the reason set-up failed. */
static int wait_for_exec(struct supervision *sup, char *error, size_t size) {
  int terminal = -1;
  error[0] = 0;
  for (;;) {
    char text[1100];
    int fd = -1;
    int kind = sync_recv(sup->sync_fd, text, sizeof text, &fd);
    if (kind <= 0) break; /* EOF: exec'd (or died; waitpid tells) */
    if (kind == SYNC_WARNING) warnf("%s", text);
    else if (kind == SYNC_ERROR) snprintf(error, size, "%s", text);
    else if (kind == SYNC_TERMINAL) terminal = fd;
    else if (fd >= 0) close(fd);
  }
  close(sup->sync_fd);
  sup->sync_fd = -1;
  return terminal;
}

static void write_status_file(const char *path, const char *line) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    warnf("open %s: %s", tmp, strerror(errno));
    return;
  }
  if (write(fd, line, strlen(line)) < 0 || fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0)
    warnf("write %s: %s", path, strerror(errno));
}

_Noreturn static void finish(const struct spec *spec, int status) {
  terminal_restore();
  char line[64];
  int code;
  if (WIFSIGNALED(status)) {
    snprintf(line, sizeof line, "signaled %d%s", WTERMSIG(status), WCOREDUMP(status) ? " core" : "");
    code = 128 + WTERMSIG(status);
  } else {
    snprintf(line, sizeof line, "exited %d", WEXITSTATUS(status));
    code = WEXITSTATUS(status);
  }
  if (spec->status_file) {
    char file_line[80];
    snprintf(file_line, sizeof file_line, "%s\n", line);
    write_status_file(spec->status_file, file_line);
  }
  status_line("%s", line);
  if (spec->on_exit.len) { /* e.g. `layerlens rm` for `run --rm -d` */
    signals_unblock();
    execvp(spec->on_exit.items[0], (char *const *)spec->on_exit.items);
    warnf("exec %s: %s", spec->on_exit.items[0], strerror(errno));
  }
  _exit(code);
}

_Noreturn void supervise(const struct spec *spec, struct supervision *sup) {
  sigset_t set = handled_set();
  int sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (sigfd < 0) die_sys("signalfd", "the helper");

  char error[1100];
  int terminal = wait_for_exec(sup, error, sizeof error);
  int status;
  if (error[0]) { /* set-up failed: the child exits with the code that goes with the message */
    while (waitpid(sup->child, &status, 0) < 0 && errno == EINTR) {}
    die(WIFEXITED(status) ? WEXITSTATUS(status) : EXIT_SETUP_FAILED, "%s", error);
  }
  status_line("started %d", sup->child);

  bool stdin_open = terminal >= 0;
  if (terminal >= 0) {
    fcntl(terminal, F_SETFL, O_NONBLOCK);
    terminal_copy_size(STDOUT_FILENO, terminal);
    terminal_make_raw(STDIN_FILENO);
  }
  for (;;) {
    struct pollfd fds[5];
    int n = 0;
    fds[n++] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
    int i_term = -1, i_in = -1, i_out = -1, i_err = -1;
    if (terminal >= 0) { i_term = n; fds[n++] = (struct pollfd){ .fd = terminal, .events = POLLIN }; }
    if (stdin_open) { i_in = n; fds[n++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN }; }
    if (sup->out_pipe >= 0) { i_out = n; fds[n++] = (struct pollfd){ .fd = sup->out_pipe, .events = POLLIN }; }
    if (sup->err_pipe >= 0) { i_err = n; fds[n++] = (struct pollfd){ .fd = sup->err_pipe, .events = POLLIN }; }
    if (poll(fds, (nfds_t)n, -1) < 0) {
      if (errno == EINTR) continue;
      die_sys("poll", "the container's output");
    }
    if (i_term >= 0 && fds[i_term].revents && !pump(terminal, STDOUT_FILENO, sup->log_fd)) { close(terminal); terminal = -1; stdin_open = false; }
    if (i_out >= 0 && fds[i_out].revents && !pump(sup->out_pipe, STDOUT_FILENO, sup->log_fd)) { close(sup->out_pipe); sup->out_pipe = -1; }
    if (i_err >= 0 && fds[i_err].revents && !pump(sup->err_pipe, STDERR_FILENO, sup->log_fd)) { close(sup->err_pipe); sup->err_pipe = -1; }
    if (i_in >= 0 && terminal >= 0 && fds[i_in].revents && !pump(STDIN_FILENO, terminal, -1)) {
      stdin_open = false;
      if (write(terminal, "\x04", 1) < 0) { /* EOF on stdin: end of input for the terminal */ }
    }
    if (!(fds[0].revents & POLLIN)) continue;
    struct signalfd_siginfo si;
    while (read(sigfd, &si, sizeof si) == sizeof si) {
      if (si.ssi_signo == SIGWINCH) {
        if (terminal >= 0) terminal_copy_size(STDOUT_FILENO, terminal);
      } else if (si.ssi_signo != SIGCHLD) {
        kill(sup->child, (int)si.ssi_signo);
      }
    }
    pid_t done = waitpid(sup->child, &status, WNOHANG);
    if (done != sup->child) continue;
    /* the container is gone (and with it every process of its PID namespace): drain, report */
    for (int k = 0; k < 200 && (terminal >= 0 || sup->out_pipe >= 0 || sup->err_pipe >= 0); k++) {
      struct pollfd d[3];
      int m = 0;
      if (terminal >= 0) d[m++] = (struct pollfd){ .fd = terminal, .events = POLLIN };
      if (sup->out_pipe >= 0) d[m++] = (struct pollfd){ .fd = sup->out_pipe, .events = POLLIN };
      if (sup->err_pipe >= 0) d[m++] = (struct pollfd){ .fd = sup->err_pipe, .events = POLLIN };
      if (poll(d, (nfds_t)m, 50) <= 0) break;
      for (int j = 0; j < m; j++) {
        if (!d[j].revents) continue;
        int to = d[j].fd == sup->err_pipe ? STDERR_FILENO : STDOUT_FILENO;
        if (!pump(d[j].fd, to, sup->log_fd)) {
          close(d[j].fd);
          if (d[j].fd == terminal) terminal = -1;
          else if (d[j].fd == sup->out_pipe) sup->out_pipe = -1;
          else sup->err_pipe = -1;
        }
      }
    }
    finish(spec, status);
  }
}
