# Golden-file test of taxon-query's outputs: indexes pages/ into a fresh
# folder, runs each case of cases.txt and compares its standard output byte
# for byte with expected/NAME.out, after the work folder's path is replaced
# by <DIR> and JSON scores are cut to 4 decimals (the last digits may vary
# with the machine's floating point; percentages and ranks may not).
# With TAXON_UPDATE_GOLDEN set in the environment, the expected files are
# written instead (review them with git diff).
#
#   cmake -DINDEX=... -DQUERY=... -DSOURCE=tests/golden -DWORK=... -P run.cmake
cmake_minimum_required(VERSION 3.25)

foreach(var INDEX QUERY SOURCE WORK)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run.cmake: -D${var}= is missing")
  endif()
endforeach()
set(update "$ENV{TAXON_UPDATE_GOLDEN}")
set(ENV{NO_COLOR} 1)
set(ENV{LC_ALL} C.UTF-8)

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/actual)
file(COPY ${SOURCE}/pages/ DESTINATION ${WORK}/site)
execute_process(COMMAND ${INDEX} --quiet --jobs 1 --db ${WORK}/db site
                WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "taxon-index on the golden pages exited with ${rc}:\n${err}")
endif()

file(STRINGS ${SOURCE}/cases.txt lines)
set(failed)
set(count 0)
foreach(line IN LISTS lines)
  if(line MATCHES "^[ \t]*(#|$)")
    continue()
  endif()
  if(NOT line MATCHES "^([A-Za-z0-9_.-]+)[ \t]+([0-9]+)[ \t]+(.*)$")
    message(FATAL_ERROR "cases.txt: cannot read the line '${line}'")
  endif()
  set(name ${CMAKE_MATCH_1})
  set(want_exit ${CMAKE_MATCH_2})
  separate_arguments(args UNIX_COMMAND "${CMAKE_MATCH_3}")
  math(EXPR count "${count} + 1")
  execute_process(COMMAND ${QUERY} --db ${WORK}/db --no-config --color never ${args}
                  WORKING_DIRECTORY ${WORK} RESULT_VARIABLE rc OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT rc STREQUAL want_exit)
    message(SEND_ERROR "${name}: taxon-query exited with ${rc}, not ${want_exit}:\n${err}")
    list(APPEND failed ${name})
    continue()
  endif()
  string(REPLACE "${WORK}" "<DIR>" out "${out}")
  string(REGEX REPLACE "(\"score\": -?[0-9]+\\.[0-9][0-9][0-9][0-9])[0-9]*" "\\1" out "${out}")
  set(expected ${SOURCE}/expected/${name}.out)
  if(update)
    file(WRITE ${expected} "${out}")
    continue()
  endif()
  file(WRITE ${WORK}/actual/${name}.out "${out}")
  if(NOT EXISTS ${expected})
    message(SEND_ERROR "${name}: ${expected} is missing (TAXON_UPDATE_GOLDEN=1 writes it)")
    list(APPEND failed ${name})
    continue()
  endif()
  file(READ ${expected} want)
  if(NOT out STREQUAL want)
    # The diff as it is, on standard output (message() would rewrap it).
    execute_process(COMMAND diff -u ${expected} ${WORK}/actual/${name}.out)
    message(SEND_ERROR "${name}: the output differs from ${expected} (diff above)")
    list(APPEND failed ${name})
  endif()
endforeach()

# Expected files of cases no longer listed.
file(GLOB outs RELATIVE ${SOURCE}/expected ${SOURCE}/expected/*.out)
foreach(out IN LISTS outs)
  string(REGEX REPLACE "\\.out$" "" name ${out})
  if(NOT EXISTS ${WORK}/actual/${out} AND NOT name IN_LIST failed AND NOT update)
    message(SEND_ERROR "expected/${out} belongs to no case of cases.txt")
  endif()
endforeach()

if(update)
  message(STATUS "golden: wrote ${count} expected files in ${SOURCE}/expected")
elseif(failed)
  message(FATAL_ERROR "golden: ${count} cases, failed: ${failed}\n"
                      "If the change is intended: TAXON_UPDATE_GOLDEN=1 ctest -R golden (or make "
                      "golden), then review git diff tests/golden")
else()
  message(STATUS "golden: ${count} cases match")
endif()
