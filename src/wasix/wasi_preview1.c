/*
 * The WASI preview1 subset (module wasi_snapshot_preview1) that a wasi-libc
 * program using stdio, clocks and sleeps imports. Guest fds 0..2 are the
 * guest's stdio, backed by host fds the embedder chose; there is no file
 * system. Errors are WASI errno values; a guest range outside memory is
 * memviolation and one that wraps past 4 GiB overflow (the reference runtime's
 * rules). Every import is a safe point (vsig_wasix_leave).
 */
#include "guest_memory.h"
#include "host_wait.h"

#include <errno.h>
#include <sched.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define LEAVE(rc) return vsig_wasix_leave(g, (rc))
#define RANGE(var, ptr, len)                                                                       \
  int var##_why;                                                                                   \
  uint8_t *var = gm_range(g, ptr, len, &var##_why);                                                \
  if (!var)                                                                                        \
    LEAVE(gm_wasix_errno(var##_why));
#define ARRAY(var, ptr, count, size)                                                               \
  int var##_why;                                                                                   \
  uint8_t *var = gm_array(g, ptr, count, size, &var##_why);                                        \
  if (!var)                                                                                        \
    LEAVE(gm_wasix_errno(var##_why));

static int host_fd(const vsig_wasix_guest_t *g, uint32_t fd) {
  return fd < 3 ? g->fd_host[fd] : -1;
}

/* Sizes of a NULL-terminated string list as args_sizes_get/environ_sizes_get
 * report them: count, and bytes including each terminator. */
static void list_sizes(char *const *list, int count, uint32_t *n, uint64_t *bytes) {
  *n = 0;
  *bytes = 0;
  for (int i = 0; list && (count < 0 || i < count) && list[i]; i++) {
    (*n)++;
    *bytes += strlen(list[i]) + 1;
  }
}

static uint32_t sizes_get(vsig_wasix_guest_t *g, char *const *list, int count, uint32_t ret_n,
                          uint32_t ret_size) {
  RANGE(pn, ret_n, 4);
  RANGE(ps, ret_size, 4);
  uint32_t n;
  uint64_t bytes;
  list_sizes(list, count, &n, &bytes);
  if (bytes > UINT32_MAX)
    LEAVE(VSIG_WASI_EOVERFLOW);
  gm_store_u32(pn, n);
  gm_store_u32(ps, (uint32_t)bytes);
  LEAVE(0);
}

static uint32_t list_get(vsig_wasix_guest_t *g, char *const *list, int count, uint32_t ptrs,
                         uint32_t buf) {
  uint32_t n;
  uint64_t bytes;
  list_sizes(list, count, &n, &bytes);
  ARRAY(pp, ptrs, n, 4);
  RANGE(pb, buf, bytes);
  uint32_t off = 0;
  for (uint32_t i = 0; i < n; i++) {
    size_t len = strlen(list[i]) + 1;
    memcpy(pb + off, list[i], len);
    gm_store_u32(pp + 4 * i, buf + off);
    off += (uint32_t)len;
  }
  LEAVE(0);
}

uint32_t vsig_wasi_args_sizes_get(vsig_wasix_guest_t *g, uint32_t ret_argc, uint32_t ret_size) {
  return sizes_get(g, g->argv, g->argc, ret_argc, ret_size);
}
uint32_t vsig_wasi_args_get(vsig_wasix_guest_t *g, uint32_t argv, uint32_t buf) {
  return list_get(g, g->argv, g->argc, argv, buf);
}
uint32_t vsig_wasi_environ_sizes_get(vsig_wasix_guest_t *g, uint32_t ret_count, uint32_t ret_size) {
  return sizes_get(g, g->envp, -1, ret_count, ret_size);
}
uint32_t vsig_wasi_environ_get(vsig_wasix_guest_t *g, uint32_t environ, uint32_t buf) {
  return list_get(g, g->envp, -1, environ, buf);
}

/* Guest iovecs { u32 buf; u32 len; } as host ones, every buffer checked. */
static uint32_t iovecs(vsig_wasix_guest_t *g, uint32_t iovs, uint32_t n, struct iovec *out) {
  int why;
  uint8_t *p = gm_array(g, iovs, n, 8, &why);
  if (!p)
    return gm_wasix_errno(why);
  for (uint32_t i = 0; i < n; i++) {
    uint32_t b = gm_load_u32(p + 8 * i), len = gm_load_u32(p + 8 * i + 4);
    uint8_t *hb = gm_range(g, b, len, &why);
    if (!hb)
      return gm_wasix_errno(why);
    out[i].iov_base = hb;
    out[i].iov_len = len;
  }
  return 0;
}

#define MAX_IOVS 1024 /* IOV_MAX on Linux */

uint32_t vsig_wasi_fd_write(vsig_wasix_guest_t *g, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
                            uint32_t ret_n) {
  RANGE(pn, ret_n, 4);
  int hfd = host_fd(g, fd);
  if (hfd < 0)
    LEAVE(VSIG_WASI_EBADF);
  if (iovs_len > MAX_IOVS)
    LEAVE(VSIG_WASI_EINVAL);
  struct iovec v[MAX_IOVS];
  uint32_t rc = iovecs(g, iovs, iovs_len, v);
  if (rc)
    LEAVE(rc);
  ssize_t w;
  do
    w = writev(hfd, v, (int)iovs_len);
  while (w < 0 && errno == EINTR);
  if (w < 0)
    LEAVE(wasi_errno_of(errno));
  gm_store_u32(pn, (uint32_t)w);
  LEAVE(0);
}

uint32_t vsig_wasi_fd_read(vsig_wasix_guest_t *g, uint32_t fd, uint32_t iovs, uint32_t iovs_len,
                           uint32_t ret_n) {
  RANGE(pn, ret_n, 4);
  int hfd = host_fd(g, fd);
  if (hfd < 0)
    LEAVE(VSIG_WASI_EBADF);
  if (iovs_len > MAX_IOVS)
    LEAVE(VSIG_WASI_EINVAL);
  struct iovec v[MAX_IOVS];
  uint32_t rc = iovecs(g, iovs, iovs_len, v);
  if (rc)
    LEAVE(rc);
  /* Wait for input as an interruptible call, so that a signal ends the read
   * with EINTR as it would end read(2) on a terminal or a pipe. */
  for (;;) {
    struct pollfd pfd = {.fd = hfd, .events = POLLIN};
    int n = host_wait(g, &pfd, 1, -1);
    if (n == -EINTR)
      LEAVE(VSIG_WASI_EINTR);
    if (n < 0)
      LEAVE(wasi_errno_of(-n));
    if (n > 0)
      break;
  }
  ssize_t r;
  do
    r = readv(hfd, v, (int)iovs_len);
  while (r < 0 && errno == EINTR);
  if (r < 0)
    LEAVE(wasi_errno_of(errno));
  gm_store_u32(pn, (uint32_t)r);
  LEAVE(0);
}

uint32_t vsig_wasi_fd_close(vsig_wasix_guest_t *g, uint32_t fd) {
  if (host_fd(g, fd) < 0)
    LEAVE(VSIG_WASI_EBADF);
  /* The host's descriptor stays open: it belongs to the embedder. */
  g->fd_host[fd] = -1;
  LEAVE(0);
}

uint32_t vsig_wasi_fd_seek(vsig_wasix_guest_t *g, uint32_t fd, int64_t offset, uint32_t whence,
                           uint32_t ret_off) {
  RANGE(po, ret_off, 8);
  int hfd = host_fd(g, fd);
  if (hfd < 0)
    LEAVE(VSIG_WASI_EBADF);
  if (whence > 2) /* WASI's whence values SET, CUR, END are the host's 0, 1, 2 */
    LEAVE(VSIG_WASI_EINVAL);
  off_t r = lseek(hfd, (off_t)offset, (int)whence);
  if (r < 0)
    LEAVE(wasi_errno_of(errno));
  gm_store_u64(po, (uint64_t)r);
  LEAVE(0);
}

/* WASI filetype values and rights bits used by fdstat. */
enum { FT_UNKNOWN = 0, FT_CHAR = 2, FT_REGULAR = 4 };
#define RIGHT_FD_SEEK (UINT64_C(1) << 2)
#define RIGHT_FD_TELL (UINT64_C(1) << 5)

uint32_t vsig_wasi_fd_fdstat_get(vsig_wasix_guest_t *g, uint32_t fd, uint32_t ret_stat) {
  RANGE(p, ret_stat, 24);
  int hfd = host_fd(g, fd);
  if (hfd < 0)
    LEAVE(VSIG_WASI_EBADF);
  struct stat st;
  if (fstat(hfd, &st) != 0)
    LEAVE(wasi_errno_of(errno));
  uint8_t type = S_ISCHR(st.st_mode) ? FT_CHAR : S_ISREG(st.st_mode) ? FT_REGULAR : FT_UNKNOWN;
  uint64_t rights = ~UINT64_C(0);
  /* wasi-libc's isatty: a character device without seek rights. */
  if (type == FT_CHAR)
    rights &= ~(RIGHT_FD_SEEK | RIGHT_FD_TELL);
  memset(p, 0, 24);
  p[0] = type;
  gm_store_u64(p + 8, rights);
  gm_store_u64(p + 16, rights);
  LEAVE(0);
}

/* WASI clock ids. */
enum { CLK_REALTIME = 0, CLK_MONOTONIC = 1, CLK_PROCESS = 2, CLK_THREAD = 3 };

static int host_clock(uint32_t id, clockid_t *c) {
  switch (id) {
  case CLK_REALTIME:
    *c = CLOCK_REALTIME;
    return 1;
  case CLK_PROCESS:
    *c = CLOCK_PROCESS_CPUTIME_ID;
    return 1;
  case CLK_THREAD:
    *c = CLOCK_THREAD_CPUTIME_ID;
    return 1;
  default:
    return 0;
  }
}

uint32_t vsig_wasi_clock_time_get(vsig_wasix_guest_t *g, uint32_t id, uint64_t precision,
                                  uint32_t ret_time) {
  (void)precision;
  RANGE(p, ret_time, 8);
  uint64_t t;
  clockid_t c;
  if (id == CLK_MONOTONIC) {
    /* vsig's clock: the one every deadline is on, manual in tests. */
    t = (uint64_t)vsig_clock_now();
  } else if (host_clock(id, &c)) {
    struct timespec ts;
    clock_gettime(c, &ts);
    t = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
  } else {
    LEAVE(VSIG_WASI_EINVAL);
  }
  gm_store_u64(p, t);
  LEAVE(0);
}

uint32_t vsig_wasi_clock_res_get(vsig_wasix_guest_t *g, uint32_t id, uint32_t ret_res) {
  RANGE(p, ret_res, 8);
  clockid_t c = CLOCK_MONOTONIC;
  if (id != CLK_MONOTONIC && !host_clock(id, &c))
    LEAVE(VSIG_WASI_EINVAL);
  struct timespec ts;
  clock_getres(c, &ts);
  gm_store_u64(p, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
  LEAVE(0);
}

_Noreturn void vsig_wasi_proc_exit(vsig_wasix_guest_t *g, uint32_t code) {
  if (g->state == VSIG_WASIX_RUNNING) {
    g->state = VSIG_WASIX_EXITED;
    g->exit_code = (int)code;
  }
  vsig_wasix_unwind(g);
}

uint32_t vsig_wasi_random_get(vsig_wasix_guest_t *g, uint32_t buf, uint32_t len) {
  RANGE(p, buf, len);
  for (uint32_t done = 0; done < len;) {
    ssize_t r = getrandom(p + done, len - done, 0);
    if (r < 0) {
      if (errno == EINTR)
        continue;
      LEAVE(wasi_errno_of(errno));
    }
    done += (uint32_t)r;
  }
  LEAVE(0);
}

uint32_t vsig_wasi_sched_yield(vsig_wasix_guest_t *g) {
  sched_yield();
  LEAVE(0);
}
