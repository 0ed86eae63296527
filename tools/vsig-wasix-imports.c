/* Prints every import vsig-wasix provides, one "module.name" a line: the list
 * vsig-wasix-run checks a module's imports against before compiling it. */
#include "vsig_wasix.h"

#include <stdio.h>

int main(void) {
  for (const char *const *p = vsig_wasix_imports; *p; p++)
    puts(*p);
  return 0;
}
