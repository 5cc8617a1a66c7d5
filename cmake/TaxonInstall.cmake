# cmake --install: library, headers, CMake package, pkg-config file, programs
# (their own folders), man pages, licence. Everything found from the installed
# files is relative to them, so any --prefix (and DESTDIR) works.
include(CMakePackageConfigHelpers)
install(TARGETS taxon EXPORT taxonTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY lib/include/taxon DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT taxonTargets NAMESPACE taxon:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/taxon)
configure_package_config_file(cmake/taxonConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/taxonConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/taxon)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/taxonConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/taxonConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/taxonConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/taxon)

# taxon.pc finds the prefix from its own folder (${pcfiledir}, which pkg-config
# and pkgconf both define). A static libtaxon is nothing without the libraries
# it calls, so they are plain Requires: `pkg-config --libs taxon` links. A
# shared one records them itself (DT_NEEDED): Requires.private, for --static.
set(_taxon_pc_dir ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(IS_ABSOLUTE ${_taxon_pc_dir})
  set(TAXON_PC_PREFIX ${CMAKE_INSTALL_PREFIX})
else()
  file(RELATIVE_PATH _taxon_pc_up /${_taxon_pc_dir} /)
  string(REGEX REPLACE "/$" "" _taxon_pc_up "${_taxon_pc_up}")
  set(TAXON_PC_PREFIX "\${pcfiledir}/${_taxon_pc_up}")
endif()
foreach(_dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE ${CMAKE_INSTALL_${_dir}})
    set(TAXON_PC_${_dir} ${CMAKE_INSTALL_${_dir}})
  else()
    set(TAXON_PC_${_dir} "\${prefix}/${CMAKE_INSTALL_${_dir}}")
  endif()
endforeach()
if(BUILD_SHARED_LIBS)
  set(TAXON_PC_REQUIRES Requires.private)
else()
  set(TAXON_PC_REQUIRES Requires)
endif()
configure_file(cmake/taxon.pc.in ${CMAKE_CURRENT_BINARY_DIR}/taxon.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/taxon.pc DESTINATION ${_taxon_pc_dir})

install(FILES docs/taxon-index.1 docs/taxon-query.1 docs/taxon-serve.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Shell completions, where each shell looks for them (bash-completion and fish
# load a command's file by the command's name; zsh reads its fpath).
foreach(program taxon-index taxon-query taxon-serve)
  install(FILES completions/taxon.bash
          DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ${program})
  install(FILES completions/taxon.fish
          DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d RENAME ${program}.fish)
endforeach()
install(FILES completions/_taxon DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
