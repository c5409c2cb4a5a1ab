# The one place that decides compiler flags; nothing touches CMAKE_CXX_FLAGS.
# -Wno-maybe-uninitialized: GCC 12 reports false positives inside std::variant at -O2
# (GCC bug 105562 and relatives); the warning would force needless initialisations.
set(TINHSO_WARNINGS -Wall -Wextra -Wpedantic -Werror -Wshadow -Wnon-virtual-dtor
    -Wimplicit-fallthrough -Wno-missing-field-initializers -Wno-maybe-uninitialized)

# tinhso_library(NAME x SRCS a.cpp DEPS tinhso::core) → target tinhso_x, alias tinhso::x.
function(tinhso_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(tinhso_${ARG_NAME} STATIC ${ARG_SRCS})
  add_library(tinhso::${ARG_NAME} ALIAS tinhso_${ARG_NAME})
  target_compile_features(tinhso_${ARG_NAME} PUBLIC cxx_std_20)
  target_compile_options(tinhso_${ARG_NAME} PRIVATE ${TINHSO_WARNINGS})
  target_include_directories(tinhso_${ARG_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(tinhso_${ARG_NAME} PUBLIC ${ARG_DEPS})
endfunction()

# tinhso_test(NAME x_test SRCS a_test.cpp DEPS tinhso::x) → one gtest binary, tests discovered.
function(tinhso_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(tinhso_${ARG_NAME} ${ARG_SRCS})
  target_compile_options(tinhso_${ARG_NAME} PRIVATE ${TINHSO_WARNINGS})
  target_include_directories(tinhso_${ARG_NAME} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(tinhso_${ARG_NAME} PRIVATE ${ARG_DEPS} tinhso::test_support GTest::gtest
                        GTest::gmock)
  gtest_discover_tests(tinhso_${ARG_NAME} DISCOVERY_TIMEOUT 60
                       PROPERTIES ENVIRONMENT "TINHSO_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
