/* layerlens-helper MODE [--spec FILE]
 *   run   create a container and run its command (see run.c)
 *   exec  run a command in a running container (see exec.c)
 *   rmtree  delete a container's files inside a user namespace with its id map (see rmtree.c)
 *   lock FILE  hold flock(2) on FILE until stdin closes (the store's lock, see lock.c)
 * The spec (spec.c) comes on fd 3, or from FILE. */
#include "helper.h"

#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <string.h>
#include <unistd.h>

pid_t helper_parent;

void die_with_parent(const struct spec *spec) {
  if (!spec->die_with_parent) return;
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) die_sys("prctl(PR_SET_PDEATHSIG)", "the helper");
  if (getppid() != helper_parent) _exit(EXIT_SETUP_FAILED);
}

static void usage(void) {
  fprintf(stderr, "usage: layerlens-helper run|exec|rmtree [--spec FILE]   (the spec is read from fd 3 by default)\n"
                  "       layerlens-helper lock FILE\n");
}

int main(int argc, char **argv) {
  helper_parent = getppid();
  if (argc == 3 && !strcmp(argv[1], "lock")) hold_lock(argv[2]);
  if (argc < 2 || (argc != 2 && !(argc == 4 && !strcmp(argv[2], "--spec")))) {
    usage();
    return 2;
  }
  struct spec spec;
  if (argc == 4) spec_read_file(argv[3], &spec);
  else spec_read(3, &spec);
  if (argc == 2) close(3);
  if (!strcmp(argv[1], "run")) run_container(&spec);
  if (!strcmp(argv[1], "exec")) {
    if (!spec.exec_pid) die(EXIT_SETUP_FAILED, "spec: exec needs exec-pid=");
    exec_in_container(&spec);
  }
  if (!strcmp(argv[1], "rmtree")) {
    if (!spec.remove_path) die(EXIT_SETUP_FAILED, "spec: rmtree needs remove=");
    remove_tree(&spec);
  }
  usage();
  return 2;
}
