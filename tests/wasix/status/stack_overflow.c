/* Unbounded recursion exhausts the guest's stack: a wasm trap reported by
 * the runner (exit 134), never a host crash, with or without vsig's bridge.
 * The call is indirect so that the compiler cannot turn it into a loop. */
#include <stdio.h>

static unsigned recurse(unsigned n);
static unsigned (*volatile next)(unsigned) = recurse;

static unsigned recurse(unsigned n) { return next(n + 1) + n; }

int main(void) {
  printf("about to recurse without end\n");
  fflush(stdout);
  printf("%u\n", next(0));
  return 0;
}
