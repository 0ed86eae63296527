/*
 * The WASI preview1 subset on a fake guest: stdio on host pipes, args and
 * environ, clocks, random, and poll_oneoff (events, errors, bad pointers).
 */
#include "fake_guest.h"

#include <unistd.h>

static void put32(uint32_t off, uint32_t v) { memcpy(AT(off), &v, 4); }
static void put64(uint32_t off, uint64_t v) { memcpy(AT(off), &v, 8); }
static uint64_t get64(uint32_t off) {
  uint64_t v;
  memcpy(&v, AT(off), 8);
  return v;
}

TEST(fd_write_gathers_iovecs_onto_the_host_fd) {
  fake_setup();
  int p[2];
  CHECK_EQ(pipe(p), 0);
  G.fd_host[1] = p[1];
  memcpy(AT(1000), "hello ", 6);
  memcpy(AT(2001), "guest", 5);
  put32(100, 1000);
  put32(104, 6);
  put32(108, 2001);
  put32(112, 5);
  CHECK_EQ(vsig_wasi_fd_write(&G, 1, 100, 2, 200), 0);
  CHECK_EQ(load32(200), 11);
  char buf[16] = {0};
  CHECK_EQ(read(p[0], buf, sizeof buf), 11);
  CHECK(!strcmp(buf, "hello guest"));
  /* Errors: a bad fd, a buffer past the end, an iovec array that wraps. */
  CHECK_EQ(vsig_wasi_fd_write(&G, 5, 100, 2, 200), VSIG_WASI_EBADF);
  put32(112, MEM_SIZE);
  CHECK_EQ(vsig_wasi_fd_write(&G, 1, 100, 2, 200), VSIG_WASI_EMEMVIOLATION);
  CHECK_EQ(vsig_wasi_fd_write(&G, 1, 0xfffffff8u, 2, 200), VSIG_WASI_EOVERFLOW);
  CHECK_EQ(vsig_wasi_fd_write(&G, 1, 100, 0x40000000u, 200), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_wasi_fd_write(&G, 1, 100, 1, MEM_SIZE - 3), VSIG_WASI_EMEMVIOLATION);
  CHECK_EQ(vsig_wasi_fd_close(&G, 1), 0);
  CHECK_EQ(vsig_wasi_fd_write(&G, 1, 100, 1, 200), VSIG_WASI_EBADF);
  CHECK_EQ(vsig_wasi_fd_close(&G, 1), VSIG_WASI_EBADF);
  close(p[0]);
  close(p[1]);
}

TEST(fd_read_and_fdstat_and_seek) {
  fake_setup();
  int p[2];
  CHECK_EQ(pipe(p), 0);
  G.fd_host[0] = p[0];
  CHECK_EQ(write(p[1], "abc", 3), 3);
  put32(100, 1000);
  put32(104, 8);
  CHECK_EQ(vsig_wasi_fd_read(&G, 0, 100, 1, 200), 0);
  CHECK_EQ(load32(200), 3);
  CHECK(!memcmp(AT(1000), "abc", 3));
  CHECK_EQ(vsig_wasi_fd_fdstat_get(&G, 0, 300), 0);
  CHECK_EQ(*AT(300), 0); /* a pipe: filetype unknown */
  CHECK_EQ(vsig_wasi_fd_fdstat_get(&G, 0, MEM_SIZE - 23), VSIG_WASI_EMEMVIOLATION);
  CHECK_EQ(vsig_wasi_fd_seek(&G, 0, 0, 0, 400), VSIG_WASI_ESPIPE);
  CHECK_EQ(vsig_wasi_fd_seek(&G, 0, 0, 3, 400), VSIG_WASI_EINVAL);
  close(p[0]);
  close(p[1]);
}

TEST(args_and_environ) {
  fake_setup();
  char *argv[] = {"prog", "x", "yz", NULL};
  char *envp[] = {"A=1", "BB=22", NULL};
  G.argc = 3;
  G.argv = argv;
  G.envp = envp;
  CHECK_EQ(vsig_wasi_args_sizes_get(&G, 100, 104), 0);
  CHECK_EQ(load32(100), 3);
  CHECK_EQ(load32(104), 10);
  CHECK_EQ(vsig_wasi_args_get(&G, 200, 300), 0);
  CHECK_EQ(load32(200), 300);
  CHECK(!strcmp((char *)AT(load32(208)), "yz"));
  CHECK_EQ(vsig_wasi_environ_sizes_get(&G, 100, 104), 0);
  CHECK_EQ(load32(100), 2);
  CHECK_EQ(load32(104), 10);
  CHECK_EQ(vsig_wasi_environ_get(&G, 200, 300), 0);
  CHECK(!strcmp((char *)AT(load32(204)), "BB=22"));
  CHECK_EQ(vsig_wasi_args_get(&G, 200, MEM_SIZE - 5), VSIG_WASI_EMEMVIOLATION);
  CHECK_EQ(vsig_wasi_environ_get(&G, MEM_SIZE - 4, 300), VSIG_WASI_EMEMVIOLATION);
}

TEST(clocks_random_yield) {
  CHECK_EQ(vsig_clock_set_manual(123456789), 0);
  fake_setup();
  CHECK_EQ(vsig_wasi_clock_time_get(&G, 1, 0, 100), 0);
  CHECK_EQ(get64(100), 123456789); /* the monotonic clock is vsig's */
  CHECK_EQ(vsig_wasi_clock_time_get(&G, 0, 0, 100), 0);
  CHECK(get64(100) > 1000000000ull * 1600000000ull);
  CHECK_EQ(vsig_wasi_clock_time_get(&G, 9, 0, 100), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_wasi_clock_time_get(&G, 1, 0, MEM_SIZE - 7), VSIG_WASI_EMEMVIOLATION);
  CHECK_EQ(vsig_wasi_clock_res_get(&G, 1, 100), 0);
  CHECK_EQ(vsig_wasi_random_get(&G, 1000, 64), 0);
  CHECK_EQ(vsig_wasi_random_get(&G, MEM_SIZE - 10, 64), VSIG_WASI_EMEMVIOLATION);
  CHECK_EQ(vsig_wasi_sched_yield(&G), 0);
}

/* A clock subscription at in: relative timeout ns. */
static void clock_sub(uint32_t in, uint64_t userdata, uint64_t timeout_ns, uint16_t flags) {
  memset(AT(in), 0, 48);
  put64(in, userdata);
  *AT(in + 8) = 0;
  put32(in + 16, 1);
  put64(in + 24, timeout_ns);
  memcpy(AT(in + 40), &flags, 2);
}

TEST(poll_oneoff_clock_on_the_manual_clock) {
  CHECK_EQ(vsig_clock_set_manual(0), 0);
  fake_setup();
  clock_sub(1000, 11, 0, 0); /* already due */
  CHECK_EQ(vsig_wasi_poll_oneoff(&G, 1000, 2000, 1, 3000), 0);
  CHECK_EQ(load32(3000), 1);
  CHECK_EQ(get64(2000), 11);
  CHECK_EQ(*AT(2010), 0);    /* type clock */
  clock_sub(1000, 12, 5, 1); /* absolute 5 ns: past once the clock moves */
  CHECK_EQ(vsig_clock_advance(10), 0);
  CHECK_EQ(vsig_wasi_poll_oneoff(&G, 1000, 2000, 1, 3000), 0);
  CHECK_EQ(get64(2000), 12);
}

TEST(poll_oneoff_errors_and_bad_pointers) {
  fake_setup();
  clock_sub(1000, 1, 0, 0);
  CHECK_EQ(vsig_wasi_poll_oneoff(&G, 1000, 2000, 0, 3000), VSIG_WASI_EINVAL);
  CHECK_EQ(vsig_wasi_poll_oneoff(&G, MEM_SIZE - 47, 2000, 1, 3000), VSIG_WASI_EMEMVIOLATION);
  CHECK_EQ(vsig_wasi_poll_oneoff(&G, 1000, MEM_SIZE - 31, 1, 3000), VSIG_WASI_EMEMVIOLATION);
  CHECK_EQ(vsig_wasi_poll_oneoff(&G, 1000, 2000, 0x08000000u, 3000), VSIG_WASI_EOVERFLOW);
  CHECK_EQ(vsig_wasi_poll_oneoff(&G, 1000, 2000, 1, 0xfffffffeu), VSIG_WASI_EOVERFLOW);
  /* A bad clock and a bad fd are events with errors, not call failures. */
  clock_sub(1000, 21, 0, 0);
  put32(1016, 77); /* clock id */
  memset(AT(1048), 0, 48);
  put64(1048, 22);
  *AT(1056) = 1; /* fd_read */
  put32(1064, 9);
  CHECK_EQ(vsig_wasi_poll_oneoff(&G, 1000, 2000, 2, 3000), 0);
  CHECK_EQ(load32(3000), 2);
  uint16_t e0, e1;
  memcpy(&e0, AT(2008), 2);
  memcpy(&e1, AT(2040), 2);
  CHECK_EQ(e0, VSIG_WASI_EINVAL);
  CHECK_EQ(e1, VSIG_WASI_EBADF);
}

TEST(poll_oneoff_fd_ready) {
  fake_setup();
  int p[2];
  CHECK_EQ(pipe(p), 0);
  G.fd_host[0] = p[0];
  CHECK_EQ(write(p[1], "x", 1), 1);
  memset(AT(1000), 0, 48);
  put64(1000, 5);
  *AT(1008) = 1; /* fd_read on guest fd 0 */
  put32(1016, 0);
  clock_sub(1048, 6, 60000000000ull, 0); /* a minute: never reached */
  CHECK_EQ(vsig_wasi_poll_oneoff(&G, 1000, 2000, 2, 3000), 0);
  CHECK_EQ(load32(3000), 1);
  CHECK_EQ(get64(2000), 5);
  CHECK_EQ(*AT(2010), 1);
  close(p[0]);
  close(p[1]);
}
