# sqlflow_component(NAME
#   SOURCES a.cc b.cc          library sources (the component's library is sqlflow_NAME)
#   DEPS sqlflow_common ...    libraries the component links publicly
#   TESTS a_test.cc ...        unit tests beside the code; one binary NAME_test in ctest
#   TEST_DEPS ...)             extra libraries for the test binary only
function(sqlflow_component name)
  cmake_parse_arguments(C "" "" "SOURCES;DEPS;TESTS;TEST_DEPS" ${ARGN})
  # TEMPORARY while the foundation lands in parallel: a component whose files are not all
  # written yet is skipped instead of breaking everyone's configure step.
  foreach(f ${C_SOURCES} ${C_TESTS})
    if(NOT EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${f}")
      message(STATUS "sqlflow: component ${name} incomplete (${f} missing), skipped")
      return()
    endif()
  endforeach()
  add_library(sqlflow_${name} STATIC ${C_SOURCES})
  target_include_directories(sqlflow_${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(sqlflow_${name} PUBLIC ${C_DEPS})
  if(SQLFLOW_BUILD_TESTS AND C_TESTS)
    add_executable(${name}_test ${C_TESTS})
    target_link_libraries(${name}_test PRIVATE sqlflow_${name} ${C_TEST_DEPS}
                          GTest::gmock GTest::gtest_main)
    gtest_discover_tests(${name}_test DISCOVERY_MODE PRE_TEST
                         PROPERTIES ENVIRONMENT "SQLFLOW_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  endif()
endfunction()

# sqlflow_add_components(dir...): add_subdirectory for each folder that has a CMakeLists.txt.
# TEMPORARY while the foundation lands in parallel.
macro(sqlflow_add_components)
  foreach(d ${ARGN})
    if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${d}/CMakeLists.txt")
      add_subdirectory(${d})
    endif()
  endforeach()
endmacro()
