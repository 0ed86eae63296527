/* SPDX-License-Identifier: MIT */
/* The library's version. CMake checks at configure time that the macros in
 * vsig.h agree with project(VERSION). */
#include "internal.h"

const char *vsig_version(void) { return VSIG_VERSION_STRING; }
