# Compiler flags shared by every target of the project.
# -Wmissing-field-initializers is off: options are aggregates with in-class defaults (STYLE.md)
# meant to be built with designated initializers that name only what differs.
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough
                    -Wno-missing-field-initializers)
# GCC 12 at -O2/-O3 reports a false -Wrestrict on `"literal" + std::string` (GCC bug 105329,
# fixed in 13); it would break every optimised build under -Werror.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  add_compile_options(-Wno-restrict)
endif()
if(SQLFLOW_WERROR)
  add_compile_options(-Werror)
endif()
if(SQLFLOW_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
