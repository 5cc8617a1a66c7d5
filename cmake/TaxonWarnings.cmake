# An unexported INTERFACE target carrying the project's warning flags.
add_library(taxon_warnings INTERFACE)
target_compile_options(taxon_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                       -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual)
if(TAXON_WARNINGS_AS_ERRORS)
  target_compile_options(taxon_warnings INTERFACE -Werror)
endif()
