# tinhso_embed_migrations(OUTPUT <var> DIR <dir> FUNCTION <qualified C++ name>)
# Generates a .cpp holding every DIR/NNNN_name.sql as a raw string, sorted by number, and
# a function `std::span<const tinhso::storage::Migration> FUNCTION()` returning them. Sets
# <var> to the generated file, to add to a target's sources. Adding, removing or editing a
# file regenerates it at the next build (the glob is CONFIGURE_DEPENDS).
set(TINHSO_EMBED_MIGRATIONS_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_migrations.cmake
    CACHE INTERNAL "")

function(tinhso_embed_migrations)
  cmake_parse_arguments(ARG "" "OUTPUT;DIR;FUNCTION" "" ${ARGN})
  file(GLOB sql_files CONFIGURE_DEPENDS ${ARG_DIR}/*.sql)
  string(MAKE_C_IDENTIFIER "${ARG_FUNCTION}" stem)
  set(generated ${CMAKE_CURRENT_BINARY_DIR}/${stem}.cpp)
  add_custom_command(
    OUTPUT ${generated}
    COMMAND ${CMAKE_COMMAND} -DDIR=${ARG_DIR} -DOUTPUT=${generated} -DFUNCTION=${ARG_FUNCTION}
            -P ${TINHSO_EMBED_MIGRATIONS_SCRIPT}
    DEPENDS ${sql_files} ${TINHSO_EMBED_MIGRATIONS_SCRIPT}
    COMMENT "Embedding migrations of ${ARG_DIR}"
    VERBATIM)
  set(${ARG_OUTPUT} ${generated} PARENT_SCOPE)
endfunction()
