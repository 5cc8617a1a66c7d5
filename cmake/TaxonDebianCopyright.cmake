# Run by CPack on the staged files: LICENSE becomes Debian's copyright file.
file(GLOB_RECURSE _licence "${CPACK_TEMPORARY_DIRECTORY}/*/share/doc/taxon/LICENSE")
if(NOT _licence)
  message(FATAL_ERROR "no share/doc/taxon/LICENSE under ${CPACK_TEMPORARY_DIRECTORY}")
endif()
foreach(_file IN LISTS _licence)
  get_filename_component(_dir ${_file} DIRECTORY)
  file(RENAME ${_file} ${_dir}/copyright)
endforeach()
