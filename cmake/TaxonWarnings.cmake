# An unexported INTERFACE target carrying the project's warning flags.
add_library(taxon_warnings INTERFACE)
target_compile_options(taxon_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual)
if(TAXON_WARNINGS_AS_ERRORS)
  target_compile_options(taxon_warnings INTERFACE -Werror)
endif()

# The library's own flags on top: every conversion that may change a value
# (narrowing, signed to unsigned) is written out, so none truncates silently.
# Only the library's sources get them, not the programs' or the tests'.
add_library(taxon_library_warnings INTERFACE)
target_compile_options(taxon_library_warnings INTERFACE -Wconversion -Wsign-conversion)
