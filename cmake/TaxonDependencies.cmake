# Every dependency comes from Debian packages (see scripts/deps.sh); nothing
# is downloaded at configure or build time.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

# Xapian's CMake config only sets variables; wrap it once as an imported target.
pkg_check_modules(XAPIAN REQUIRED IMPORTED_TARGET xapian-core>=1.4)
add_library(taxon::xapian ALIAS PkgConfig::XAPIAN)

find_package(ICU 70 REQUIRED COMPONENTS uc i18n)
pkg_check_modules(MD4C REQUIRED IMPORTED_TARGET md4c)
find_package(yaml-cpp REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 QUIET CONFIG)
if(NOT TARGET CLI11::CLI11)
  # Debian's libcli11-dev ships the header only.
  find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 INTERFACE ${CLI11_INCLUDE_DIR})
endif()
if(TAXON_BUILD_SERVE)
  # Debian's libcpp-httplib-dev builds httplib as a library with a pkg-config
  # file whose flags must match it; a header-only httplib.h is used as it is.
  pkg_check_modules(HTTPLIB QUIET IMPORTED_TARGET cpp-httplib>=0.11)
  if(HTTPLIB_FOUND)
    add_library(taxon::httplib ALIAS PkgConfig::HTTPLIB)
  else()
    find_path(HTTPLIB_INCLUDE_DIR httplib.h REQUIRED)
    add_library(taxon::httplib INTERFACE IMPORTED)
    target_include_directories(taxon::httplib INTERFACE ${HTTPLIB_INCLUDE_DIR})
    target_link_libraries(taxon::httplib INTERFACE Threads::Threads)
  endif()
endif()
if(TAXON_BUILD_TESTS)
  find_package(Boost 1.74 REQUIRED COMPONENTS unit_test_framework)
endif()
