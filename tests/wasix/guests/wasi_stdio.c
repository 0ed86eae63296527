// run: --env GREETING=hello -- one two
/*
 * An ordinary wasi-libc program (stdio, arguments, environment, clocks,
 * sleeps, entropy, sched_yield, exit) needs only the preview1 subset: the
 * runner accepts it and it behaves as it would natively.
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  printf("argc %d:", argc);
  for (int i = 1; i < argc; i++)
    printf(" %s", argv[i]);
  printf("\n");
  const char *g = getenv("GREETING");
  printf("GREETING=%s\n", g ? g : "(unset)");
  printf("instance %s\n", getenv("VSIG_WASIX_INSTANCE") ? getenv("VSIG_WASIX_INSTANCE") : "?");
  struct timespec a, b, rt, d = {0, 2000000};
  clock_gettime(CLOCK_MONOTONIC, &a);
  printf("nanosleep 2 ms: %d\n", nanosleep(&d, NULL));
  printf("usleep 1 ms: %d\n", usleep(1000));
  printf("sleep 0: %u\n", sleep(0));
  clock_gettime(CLOCK_MONOTONIC, &b);
  long long ns = (long long)(b.tv_sec - a.tv_sec) * 1000000000 + (b.tv_nsec - a.tv_nsec);
  printf("monotonic clock advanced by at least 3 ms: %d\n", ns >= 3000000);
  clock_gettime(CLOCK_REALTIME, &rt);
  printf("realtime after 2020: %d\n", rt.tv_sec > 1577836800);
  unsigned char buf[16];
  memset(buf, 0, sizeof buf);
  int zero = 1;
  printf("getentropy: %d\n", getentropy(buf, sizeof buf));
  for (size_t i = 0; i < sizeof buf; i++)
    zero &= buf[i] == 0;
  printf("entropy not all zero: %d\n", !zero);
  printf("sched_yield: %d\n", sched_yield());
  fprintf(stderr, "a line on stderr\n");
  fflush(stdout);
  return 0;
}
