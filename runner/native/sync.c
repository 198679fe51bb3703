/* The helper and the container's first process talk over a SOCK_SEQPACKET socketpair: one message
 * is one kind byte plus text, optionally carrying a descriptor (the terminal's master side). The
 * child's end is close-on-exec, so EOF tells the helper that exec succeeded. */
#include "helper.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

int sync_send(int sock, char kind, const char *text, int fd) {
  char buf[1100];
  size_t len = text ? strnlen(text, sizeof buf - 2) : 0;
  buf[0] = kind;
  if (len) memcpy(buf + 1, text, len);
  struct iovec iov = { .iov_base = buf, .iov_len = len + 1 };
  union { struct cmsghdr align; char space[CMSG_SPACE(sizeof(int))]; } control;
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
  if (fd >= 0) {
    memset(&control, 0, sizeof control);
    msg.msg_control = control.space;
    msg.msg_controllen = sizeof control.space;
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
  }
  ssize_t n;
  do n = sendmsg(sock, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n < 0 ? -1 : 0;
}

int sync_recv(int sock, char *text, size_t size, int *fd) {
  char buf[1100];
  struct iovec iov = { .iov_base = buf, .iov_len = sizeof buf };
  union { struct cmsghdr align; char space[CMSG_SPACE(sizeof(int))]; } control;
  struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.space, .msg_controllen = sizeof control.space };
  ssize_t n;
  do n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0) return -1;
  if (n == 0) return 0;
  if (fd) *fd = -1;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && fd) memcpy(fd, CMSG_DATA(c), sizeof(int));
  size_t len = (size_t)n - 1;
  if (len >= size) len = size - 1;
  memcpy(text, buf + 1, len);
  text[len] = 0;
  return (unsigned char)buf[0];
}
