/* stub */
#include "indexer/formats/formats.h"
#include "presse/presse.h"
int presse_format_html(const char *data, size_t len, presse_extracted *x) {
  (void)data; (void)len;
  return presse_extracted_fail(x, PRESSE_EFORMAT, "HTML is not supported yet");
}
