include(GNUInstallDirs)
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
configure_file(cmake/taxon.pc.in ${CMAKE_CURRENT_BINARY_DIR}/taxon.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/taxon.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
install(FILES docs/taxon-index.1 docs/taxon-query.1 docs/taxon-serve.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 OPTIONAL)
