# make package: one Debian package (CPack DEB) with the programs, the library,
# its headers, CMake and pkg-config files, the man pages and the licence. Its
# Depends come from dpkg-shlibdeps (dpkg-dev): the runtime packages of the
# libraries the binaries load, whatever this Debian release names them.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME taxon)
set(CPACK_PACKAGE_VENDOR "the taxon authors")
set(CPACK_PACKAGE_CONTACT "the taxon authors")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
# The summary above is the first line of the Description; this is the rest.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "taxon-index indexes every heading of every Markdown page of a folder (Hugo
content folders above all) into a Xapian database; taxon-query finds topics in
it, ranked, with the branch of the page's heading tree they belong to. The
package also holds libtaxon, its headers, CMake package and pkg-config file.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps looks for libtaxon.so itself here (the programs need it).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/lib)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
# Debian keeps a package's licence in /usr/share/doc/PACKAGE/copyright.
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_CURRENT_LIST_DIR}/TaxonDebianCopyright.cmake)
include(CPack)
