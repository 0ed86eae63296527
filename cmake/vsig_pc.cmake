# SPDX-License-Identifier: MIT
# Run by the install step (see vsig_install_pc in CMakeLists.txt): writes a
# pkg-config file for the prefix being installed to, which `cmake --install
# --prefix P` may choose after configuration.
set(VSIG_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
foreach(dir LIBDIR INCLUDEDIR MANDIR)
  if(IS_ABSOLUTE "${VSIG_PC_${dir}}")
    continue()
  endif()
  set(VSIG_PC_${dir} "\${prefix}/${VSIG_PC_${dir}}")
endforeach()
configure_file("${VSIG_PC_IN}" "${VSIG_PC_OUT}" @ONLY)
