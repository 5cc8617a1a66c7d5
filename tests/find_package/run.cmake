# Installs a taxon build into a fresh prefix and moves it, then builds and runs
# consumer.cpp against it twice: through find_package(taxon) in a CMake
# project, and with `c++ $(pkg-config --cflags --libs taxon)`.
#   cmake -DBUILD_DIR=... -DWORK_DIR=... -DCXX=... -DPKG_CONFIG=... -DLIBDIR=lib
#         -DSHARED=ON|OFF -DSOVERSION=0.1 -DVERSION=0.1.0 -P run.cmake
foreach(var BUILD_DIR WORK_DIR CXX PKG_CONFIG LIBDIR SHARED SOVERSION VERSION)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake needs -D${var}=...")
  endif()
endforeach()
set(src ${CMAKE_CURRENT_LIST_DIR})
set(prefix ${WORK_DIR}/prefix)
set(expected "taxon ${VERSION} | 5 headings | 3.2 Debris Mitigation | Orbits > 3. Objectives | \
3. Objectives | orbits.md:6\nerror not-found\n")

function(run)
  cmake_parse_arguments(RUN "" "OUTPUT" "" ${ARGN})
  execute_process(COMMAND ${RUN_UNPARSED_ARGUMENTS} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    list(JOIN RUN_UNPARSED_ARGUMENTS " " cmd)
    message(FATAL_ERROR "failed (${rc}): ${cmd}\n${out}${err}")
  endif()
  if(RUN_OUTPUT)
    set(${RUN_OUTPUT} "${out}" PARENT_SCOPE)
  endif()
endfunction()

function(expect_output what actual)
  if(NOT actual STREQUAL expected)
    message(FATAL_ERROR "${what} printed\n${actual}\nexpected\n${expected}")
  endif()
  message(STATUS "${what}: ${actual}")
endfunction()

# Installed, then moved: nothing installed may depend on where it first was.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/installed)
file(RENAME ${WORK_DIR}/installed ${prefix})

# What the install holds: the library of the kind built, named by its version.
if(SHARED)
  set(libs libtaxon.so libtaxon.so.${SOVERSION} libtaxon.so.${VERSION})
else()
  set(libs libtaxon.a)
endif()
foreach(f IN LISTS libs ITEMS ../include/taxon/taxon.h cmake/taxon/taxonConfig.cmake pkgconfig/taxon.pc
          ../share/doc/taxon/LICENSE ../share/man/man1/taxon-query.1)
  if(NOT EXISTS ${prefix}/${LIBDIR}/${f})
    message(FATAL_ERROR "not installed: ${LIBDIR}/${f}")
  endif()
endforeach()

# The installed programs run from the prefix (a shared libtaxon found by RUNPATH).
run(${prefix}/bin/taxon-query --version OUTPUT out)
if(NOT out MATCHES "${VERSION}")
  message(FATAL_ERROR "taxon-query --version printed: ${out}")
endif()

# find_package, from the prefix given; the consumer sets no C++ standard.
run(${CMAKE_COMMAND} -S ${src} -B ${WORK_DIR}/cmake-build -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_BUILD_TYPE=Release OUTPUT out)
string(REGEX MATCH "taxon_DIR: [^\n]*" found "${out}")
if(NOT found STREQUAL "taxon_DIR: ${prefix}/${LIBDIR}/cmake/taxon")
  message(FATAL_ERROR "find_package found another taxon: ${found}")
endif()
run(${CMAKE_COMMAND} --build ${WORK_DIR}/cmake-build)
run(${WORK_DIR}/cmake-build/taxon_consumer ${WORK_DIR}/index-cmake OUTPUT out)
expect_output("find_package consumer" "${out}")

# pkg-config: taxon.pc finds the prefix it was installed to, and without
# --static its flags link a static libtaxon too.
set(ENV{PKG_CONFIG_PATH} ${prefix}/${LIBDIR}/pkgconfig)
run(${PKG_CONFIG} --variable=prefix taxon OUTPUT pc_prefix)
string(STRIP "${pc_prefix}" pc_prefix)
file(REAL_PATH "${pc_prefix}" pc_prefix)
file(REAL_PATH "${prefix}" real_prefix)
if(NOT pc_prefix STREQUAL real_prefix)
  message(FATAL_ERROR "taxon.pc says prefix ${pc_prefix}, installed in ${real_prefix}")
endif()
run(${PKG_CONFIG} --cflags --libs taxon OUTPUT flags)
string(STRIP "${flags}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
message(STATUS "pkg-config --cflags --libs taxon: ${flags}")
run(${CXX} -std=c++20 -Wall -Wextra ${src}/consumer.cpp ${flags} -o ${WORK_DIR}/pc-consumer)
run(${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${prefix}/${LIBDIR} ${WORK_DIR}/pc-consumer
    ${WORK_DIR}/index-pc OUTPUT out)
expect_output("pkg-config consumer" "${out}")
