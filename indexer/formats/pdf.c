/* stub */
#include "indexer/formats/formats.h"
#include "presse/presse.h"
int presse_format_pdf(const char *data, size_t len, size_t max_text, presse_extracted *x) {
  (void)data; (void)len; (void)max_text;
  return presse_extracted_fail(x, PRESSE_EFORMAT, "PDF is not supported yet");
}
