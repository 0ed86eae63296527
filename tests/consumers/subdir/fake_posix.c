/* SPDX-License-Identifier: MIT */
/* A stand-in for libvsig-posix in the add_subdirectory check. */
int vsig_posix_fake(void);
int vsig_posix_fake(void) { return 0; }
