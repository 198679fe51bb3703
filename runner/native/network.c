/* A fresh network namespace has only a loopback interface, and it is down: bring it up. */
#include "helper.h"

#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

void network_loopback_up(void) {
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) die_sys("socket(AF_INET)", "lo");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strcpy(ifr.ifr_name, "lo");
  if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0) die_sys("ioctl(SIOCGIFFLAGS)", "lo");
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0) die_sys("ioctl(SIOCSIFFLAGS)", "lo");
  close(sock);
}
