# Relevance benchmark of issue 4 (included from bench/CMakeLists.txt; not built by default):
#   cmake --build build --target bench-relevance && build/bench/bench-relevance
# presse against Xapian (xapian-rel, a C++ helper like xapian-peer), SQLite FTS5 and PostgreSQL.
# SQLite (libsqlite3-dev) and libpq (libpq-dev) are optional: without them the program is built
# without that peer and says so when it runs. The PostgreSQL server binaries (postgresql-15) are
# looked up at run time. See bench/relevance/README.md.
pkg_check_modules(RELBENCH_SQLITE3 QUIET IMPORTED_TARGET sqlite3)
pkg_check_modules(RELBENCH_LIBPQ QUIET IMPORTED_TARGET libpq)

add_executable(xapian-rel EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/relevance/xapian_rel.cc)
target_link_libraries(xapian-rel PRIVATE PkgConfig::XAPIAN PkgConfig::JANSSON)

add_executable(bench-relevance EXCLUDE_FROM_ALL ${CMAKE_CURRENT_LIST_DIR}/relevance/bench_relevance.c)
target_link_libraries(bench-relevance PRIVATE presse PkgConfig::JANSSON m)
target_include_directories(bench-relevance PRIVATE ${PROJECT_SOURCE_DIR})
target_compile_definitions(bench-relevance PRIVATE
  XAPIAN_REL_BIN="$<TARGET_FILE:xapian-rel>"
  BENCH_XAPIAN_VERSION="${XAPIAN_VERSION}"
  BENCH_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
if(RELBENCH_SQLITE3_FOUND)
  target_link_libraries(bench-relevance PRIVATE PkgConfig::RELBENCH_SQLITE3)
  target_compile_definitions(bench-relevance PRIVATE HAVE_SQLITE3)
endif()
if(RELBENCH_LIBPQ_FOUND)
  target_link_libraries(bench-relevance PRIVATE PkgConfig::RELBENCH_LIBPQ)
  target_compile_definitions(bench-relevance PRIVATE HAVE_LIBPQ)
endif()
add_dependencies(bench-relevance xapian-rel)
if(TARGET compound-lexicon)
  add_dependencies(bench-relevance compound-lexicon)
endif()
