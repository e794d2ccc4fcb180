# bench/serve (issue 11): presse-serve under wrk against the in-process ceiling. Not a test.
add_executable(bench-serve-ceiling EXCLUDE_FROM_ALL serve/ceiling.c)
target_link_libraries(bench-serve-ceiling PRIVATE presse Threads::Threads)
target_include_directories(bench-serve-ceiling PRIVATE ${PROJECT_SOURCE_DIR})
