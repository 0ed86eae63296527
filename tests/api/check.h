/* SPDX-License-Identifier: MIT */
/* tests/api: library-level checks, each a program that exits 0 when every
 * EXPECT holds (no test harness, so they stand apart from tests/test_*.c). */
#ifndef VSIG_API_CHECK_H
#define VSIG_API_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define EXPECT(c)                                                                                  \
  do {                                                                                             \
    if (!(c)) {                                                                                    \
      fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #c);                              \
      exit(1);                                                                                     \
    }                                                                                              \
  } while (0)

#endif
