# Compound splitter benchmark (included from bench/CMakeLists.txt; not built by default):
#   cmake --build build --target bench-compound && build/bench/bench-compound [FILE-or-DIR ...]
add_executable(bench-compound EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/compound_eval.c)
target_link_libraries(bench-compound PRIVATE presse PkgConfig::JANSSON)
target_include_directories(bench-compound PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_definitions(bench-compound PRIVATE BENCH_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
if(TARGET compound-lexicon)
  add_dependencies(bench-compound compound-lexicon)
endif()
