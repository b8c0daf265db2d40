# Compiler flags shared by every target of the project.
# -Wmissing-field-initializers is off: options are aggregates with in-class defaults (STYLE.md)
# meant to be built with designated initializers that name only what differs.
add_compile_options(-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wimplicit-fallthrough
                    -Wno-missing-field-initializers)
if(SQLFLOW_WERROR)
  add_compile_options(-Werror)
endif()
if(SQLFLOW_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
