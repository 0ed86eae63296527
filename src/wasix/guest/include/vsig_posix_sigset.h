/*
 * sigset_t for guests built with vsig-wasix-cc (force-included first). It
 * also defines the guard of wasi-libc's own __typedef_sigset_t.h, whose
 * sigset_t is a one-byte placeholder, so <poll.h> and <sys/select.h> use this
 * one and the two never clash.
 */
#ifndef VSIG_POSIX_SIGSET_H
#define VSIG_POSIX_SIGSET_H

#ifndef __wasilibc___typedef_sigset_t_h
#define __wasilibc___typedef_sigset_t_h
/* Bit n-1 is signal n (vsig_posix_abi.h). */
typedef unsigned long long sigset_t;
#endif

#endif
