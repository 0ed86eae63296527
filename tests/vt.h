/* SPDX-License-Identifier: MIT */
/*
 * vt: the test harness. TEST(name) defines a test; `prog name` runs one (what
 * ctest does, one process per test), `prog` runs them all. A failed CHECK
 * prints where and ends the test process with status 1.
 */
#ifndef VT_H
#define VT_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*vt_fn)(void);
struct vt_case {
  const char *name;
  vt_fn fn;
};
static struct vt_case vt_cases[256];
static int vt_ncases;

static inline void vt_register(const char *name, vt_fn fn) {
  if (vt_ncases < 256)
    vt_cases[vt_ncases++] = (struct vt_case){name, fn};
}

#define TEST(name)                                                                                 \
  static void test_##name(void);                                                                   \
  __attribute__((constructor)) static void vt_reg_##name(void) {                                   \
    vt_register(#name, test_##name);                                                               \
  }                                                                                                \
  static void test_##name(void)

#define VT_FAIL(...)                                                                               \
  do {                                                                                             \
    fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);                                                \
    fprintf(stderr, __VA_ARGS__);                                                                  \
    fprintf(stderr, "\n");                                                                         \
    exit(1);                                                                                       \
  } while (0)

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond))                                                                                   \
      VT_FAIL("CHECK(%s) failed", #cond);                                                          \
  } while (0)

#define CHECK_EQ(a, b)                                                                             \
  do {                                                                                             \
    long long vt_a = (long long)(a), vt_b = (long long)(b);                                        \
    if (vt_a != vt_b)                                                                              \
      VT_FAIL("CHECK_EQ(%s, %s): %lld != %lld", #a, #b, vt_a, vt_b);                               \
  } while (0)

/* The call returns -1 and sets errno to err. */
#define CHECK_ERRNO(call, err)                                                                     \
  do {                                                                                             \
    errno = 0;                                                                                     \
    long long vt_r = (long long)(call);                                                            \
    int vt_e = errno;                                                                              \
    if (vt_r != -1 || vt_e != (err))                                                               \
      VT_FAIL("%s: returned %lld errno %d (%s), wanted -1 errno %d (%s)", #call, vt_r, vt_e,       \
              strerror(vt_e), (err), strerror(err));                                               \
  } while (0)

int main(int argc, char **argv) {
  int passed = 0, ran = 0;
  for (int i = 0; i < vt_ncases; i++) {
    if (argc > 1 && strcmp(argv[1], vt_cases[i].name) != 0)
      continue;
    ran++;
    vt_cases[i].fn();
    passed++;
    if (argc <= 1)
      printf("ok %s\n", vt_cases[i].name);
  }
  if (ran == 0) {
    fprintf(stderr, "no test named %s\n", argc > 1 ? argv[1] : "(any)");
    return 1;
  }
  printf("%d passed, 0 failed\n", passed);
  return 0;
}

#endif
