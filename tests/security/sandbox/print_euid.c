/* Prints its real and effective uid. The test installs a copy setuid-root: run in the
 * sandbox it must still print euid=65534 (no privilege gained). */
#include <stdio.h>
#include <unistd.h>

int main(void) {
  printf("uid=%d euid=%d\n", (int)getuid(), (int)geteuid());
  return 0;
}
