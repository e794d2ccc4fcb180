/* stub */
#include "indexer/formats/formats.h"
#include "presse/presse.h"
int presse_format_docx(const char *data, size_t len, size_t max_part, presse_extracted *x) {
  (void)data; (void)len; (void)max_part;
  return presse_extracted_fail(x, PRESSE_EFORMAT, "DOCX is not supported yet");
}
int presse_format_odt(const char *data, size_t len, size_t max_part, presse_extracted *x) {
  (void)data; (void)len; (void)max_part;
  return presse_extracted_fail(x, PRESSE_EFORMAT, "ODT is not supported yet");
}
unsigned presse_format_meta_date(const char *s) { (void)s; return 0; }
