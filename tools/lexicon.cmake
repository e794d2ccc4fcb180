# The compound splitter's lexicon (analysis/compound.h, analysis/COMPOUNDS.md), generated at
# build time from Debian's hunspell-de-de: the GPL word list never enters the repository.
# Included from the top-level CMakeLists.txt after add_library(presse ...):
#   include(tools/lexicon.cmake)
# Without hunspell-de-de the build goes on without a lexicon: the splitter then reports
# PRESSE_ENOTFOUND, the analyzer does not split, and test_compound skips.
set(PRESSE_HUNSPELL_DE "/usr/share/hunspell/de_DE" CACHE FILEPATH
    "hunspell German dictionary, path without .dic/.aff (Debian package hunspell-de-de)")
set(PRESSE_LEXICON_FILE "${CMAKE_BINARY_DIR}/compound.lex")

add_executable(presse-build-lexicon
  ${CMAKE_CURRENT_LIST_DIR}/build_lexicon.c
  ${PROJECT_SOURCE_DIR}/analysis/normalize.c
  ${PROJECT_SOURCE_DIR}/util/buf.c)
target_include_directories(presse-build-lexicon PRIVATE ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/include)
target_link_libraries(presse-build-lexicon PRIVATE PkgConfig::UTF8PROC)

if(EXISTS "${PRESSE_HUNSPELL_DE}.dic" AND EXISTS "${PRESSE_HUNSPELL_DE}.aff")
  add_custom_command(OUTPUT ${PRESSE_LEXICON_FILE}
    COMMAND presse-build-lexicon
            --dic ${PRESSE_HUNSPELL_DE}.dic --aff ${PRESSE_HUNSPELL_DE}.aff
            --stopwords ${PROJECT_SOURCE_DIR}/stopwords/german.txt
            --out ${PRESSE_LEXICON_FILE}
    DEPENDS presse-build-lexicon ${PRESSE_HUNSPELL_DE}.dic ${PRESSE_HUNSPELL_DE}.aff
            ${PROJECT_SOURCE_DIR}/stopwords/german.txt
    COMMENT "Generating the compound lexicon from hunspell-de-de"
    VERBATIM)
  add_custom_target(compound-lexicon ALL DEPENDS ${PRESSE_LEXICON_FILE})
  install(FILES ${PRESSE_LEXICON_FILE} DESTINATION ${CMAKE_INSTALL_DATADIR}/presse)
else()
  message(WARNING "${PRESSE_HUNSPELL_DE}.dic not found: no compound lexicon, compounds will not "
                  "be split (install the Debian package hunspell-de-de)")
endif()

# Run-time lookup order: $PRESSE_LEXICON, this build tree's file, PRESSE_DATADIR/compound.lex.
target_compile_definitions(presse PRIVATE PRESSE_LEXICON_BUILD_PATH="${PRESSE_LEXICON_FILE}")
