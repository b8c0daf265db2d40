# sqlflow_component(NAME
#   SOURCES a.cc b.cc          library sources (the component's library is sqlflow_NAME)
#   DEPS sqlflow_common ...    libraries the component links publicly
#   TESTS a_test.cc ...        unit tests beside the code; one binary NAME_test in ctest
#   TEST_DEPS ...)             extra libraries for the test binary only
function(sqlflow_component name)
  cmake_parse_arguments(C "" "" "SOURCES;DEPS;TESTS;TEST_DEPS" ${ARGN})
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

