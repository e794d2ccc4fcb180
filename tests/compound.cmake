# The compound splitter's test (included from tests/CMakeLists.txt). It reads the split table
# beside it and skips (77) when no lexicon was generated (no hunspell-de-de on the machine).
add_executable(test_compound ${CMAKE_CURRENT_LIST_DIR}/test_compound.c)
target_link_libraries(test_compound PRIVATE presse)
target_include_directories(test_compound PRIVATE ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_LIST_DIR})
target_compile_definitions(test_compound PRIVATE
  COMPOUND_TABLE="${CMAKE_CURRENT_LIST_DIR}/compound_splits.tsv")
if(TARGET compound-lexicon)
  add_dependencies(test_compound compound-lexicon)
endif()
add_test(NAME compound COMMAND test_compound)
set_tests_properties(compound PROPERTIES SKIP_RETURN_CODE 77)
