/* SPDX-License-Identifier: MIT */
/* vsig_version() and the version macros agree with each other and with the
 * CMake project version the library was built with. */
#include <vsig.h>

#include <stdio.h>
#include <string.h>

#include "check.h"

int main(void) {
  char buf[32];
  snprintf(buf, sizeof buf, "%d.%d.%d", VSIG_VERSION_MAJOR, VSIG_VERSION_MINOR, VSIG_VERSION_PATCH);
  EXPECT(strcmp(buf, VSIG_VERSION_STRING) == 0);
  EXPECT(strcmp(vsig_version(), VSIG_VERSION_STRING) == 0);
  EXPECT(strcmp(vsig_version(), VSIG_PROJECT_VERSION) == 0);
  EXPECT(VSIG_VERSION ==
         VSIG_VERSION_MAJOR * 10000 + VSIG_VERSION_MINOR * 100 + VSIG_VERSION_PATCH);
  EXPECT(vsig_version() == vsig_version()); /* a constant, no buffer */
  printf("vsig %s\n", vsig_version());
  return 0;
}
