/* An out-of-bounds access in guest code is a wasm trap, reported by the
 * runner (exit 134), never a host crash: also with vsig's host bridge on,
 * which takes SIGSEGV over from wasm2c's runtime (vsig_wasix_fault_install
 * puts the guest's faults back where they belong). */
#include <stdio.h>

int main(void) {
  printf("about to access memory out of bounds\n");
  fflush(stdout);
  volatile int *p = (volatile int *)0xfffffff0u;
  *p = 1; /* beyond the guest's memory: the guard pages */
  printf("not reached\n");
  return 0;
}
