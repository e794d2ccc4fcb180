/* Text encodings: archives of press releases are full of Windows-1252 and Latin-1 files, some
 * UTF-16 from Windows editors, and UTF-8 that was mis-decoded once ("KÃ¼hner"). This file turns
 * all of them into UTF-8 (iconv for the conversions) and says which encoding it chose, so that
 * no mis-decoded umlaut reaches the index. Detection is cheap for the common case: a UTF-8 file
 * costs one validation pass and one scan for mojibake lead bytes. */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>

#include "indexer/formats/formats.h"
#include "presse/presse.h"

/* Windows-1252's bytes 0x80-0x9F; 0 where the code page leaves a byte undefined. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

int presse_encoding_convert(const char *from, const char *data, size_t len, presse_buf *out) {
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == (iconv_t)-1) return PRESSE_EINVAL;
  char *in = (char *)data;
  size_t inleft = len;
  int rc = PRESSE_OK;
  while (inleft > 0) {
    if (presse_buf_reserve(out, inleft * 2 + 16) != PRESSE_OK) {
      rc = PRESSE_ENOMEM;
      break;
    }
    char *o = out->data + out->len;
    size_t oleft = out->cap - out->len - 1;
    size_t r = iconv(cd, &in, &inleft, &o, &oleft);
    out->len = (size_t)(o - out->data);
    out->data[out->len] = '\0';
    if (r == (size_t)-1 && errno != E2BIG) {
      rc = PRESSE_EUTF8; /* EILSEQ: a byte sequence the encoding does not define; EINVAL: cut short */
      break;
    }
  }
  iconv_close(cd);
  return rc;
}

/* UTF-16 without a byte-order mark: German text is mostly ASCII, so one byte of each pair is NUL. */
static const char *utf16_without_bom(const unsigned char *s, size_t len) {
  if (len < 8 || len % 2) return NULL;
  size_t n = len < 4096 ? len : 4096, even = 0, odd = 0;
  for (size_t i = 0; i + 1 < n; i += 2) {
    even += s[i] == 0;
    odd += s[i + 1] == 0;
  }
  size_t pairs = n / 2;
  if (odd * 10 >= pairs * 4 && even * 20 < pairs) return "UTF-16LE";
  if (even * 10 >= pairs * 4 && odd * 20 < pairs) return "UTF-16BE";
  return NULL;
}

int presse_encoding_decode(const char *data, size_t len, presse_buf *conv, const char **out, size_t *out_len,
                           const char **encoding, presse_buf *err) {
  const unsigned char *s = (const unsigned char *)data;
  presse_buf_clear(conv);
  const char *utf16 = NULL, *name = NULL;
  size_t skip = 0;
  if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) {
    skip = 3;
    name = "utf-8 (BOM)";
  } else if (len >= 2 && s[0] == 0xFF && s[1] == 0xFE) {
    utf16 = "UTF-16LE";
    skip = 2;
    name = "utf-16le (BOM)";
  } else if (len >= 2 && s[0] == 0xFE && s[1] == 0xFF) {
    utf16 = "UTF-16BE";
    skip = 2;
    name = "utf-16be (BOM)";
  } else if ((utf16 = utf16_without_bom(s, len)) != NULL) {
    name = utf16[6] == 'L' ? "utf-16le (no BOM)" : "utf-16be (no BOM)";
  }
  if (utf16) {
    int rc = presse_encoding_convert(utf16, data + skip, len - skip, conv);
    if (rc != PRESSE_OK) {
      presse_buf_clear(err);
      presse_buf_printf(err, "invalid %s: broken surrogate pair or odd length", utf16);
      return rc == PRESSE_ENOMEM ? rc : PRESSE_EUTF8;
    }
    data = conv->data ? conv->data : "";
    len = conv->len;
    const void *nul = memchr(data, '\0', len);
    if (nul) {
      presse_buf_clear(err);
      presse_buf_printf(err, "binary file (NUL character in %s text)", utf16);
      return PRESSE_EFORMAT;
    }
    *out = data;
    *out_len = len;
    *encoding = name;
    return PRESSE_OK;
  }
  data += skip;
  len -= skip;
  s += skip;
  const void *nul = memchr(data, '\0', len);
  if (nul) {
    presse_buf_clear(err);
    presse_buf_printf(err, "binary file (NUL byte at offset %zu)", (size_t)((const char *)nul - data) + skip);
    return PRESSE_EFORMAT;
  }
  size_t bad;
  if (presse_utf8_check(data, len, &bad)) {
    *out = data;
    *out_len = len;
    *encoding = name ? name : "utf-8";
    return PRESSE_OK;
  }
  if (name) { /* a UTF-8 BOM in front of bytes that are not UTF-8: the BOM lies, we do not guess */
    presse_buf_clear(err);
    presse_buf_printf(err, "invalid UTF-8 at byte offset %zu after a UTF-8 byte-order mark", bad + skip);
    return PRESSE_EUTF8;
  }
  /* A single-byte legacy encoding. Plausible only for text: no control bytes, no bytes the code
   * page leaves undefined, and mostly ASCII (German text has an umlaut every few dozen letters;
   * a file that is mostly high bytes is some other encoding or not text at all). */
  size_t high = 0, ascii_letters = 0, c1 = 0, euro = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned c = s[i];
    if (c >= 0x80) {
      high++;
      if (c < 0xA0) {
        c1++;
        if (!cp1252_high[c - 0x80]) {
          presse_buf_clear(err);
          presse_buf_printf(err,
                            "invalid UTF-8 at byte offset %zu, and byte 0x%02X at offset %zu is not a character "
                            "in Windows-1252 or ISO-8859-1/-15 either",
                            bad, c, i);
          return PRESSE_EUTF8;
        }
      } else if (c == 0xA4) {
        euro++;
      }
    } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1A) || c == 0x7F) {
      presse_buf_clear(err);
      presse_buf_printf(err, "invalid UTF-8 at byte offset %zu, and control byte 0x%02X at offset %zu: not text", bad,
                        c, i);
      return PRESSE_EUTF8;
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
      ascii_letters++;
    }
  }
  if (high * 2 > ascii_letters + 16) {
    presse_buf_clear(err);
    presse_buf_printf(err,
                      "invalid UTF-8 at byte offset %zu, and too many non-ASCII bytes (%zu of %zu) for "
                      "Windows-1252 or ISO-8859 text",
                      bad, high, len);
    return PRESSE_EUTF8;
  }
  /* Without bytes 0x80-0x9F, Windows-1252 and ISO-8859-1 decode identically; we name the
   * encoding the bytes actually prove. */
  const char *from = c1 ? "WINDOWS-1252" : euro ? "ISO-8859-15" : "ISO-8859-1";
  int rc = presse_encoding_convert(from, data, len, conv);
  if (rc != PRESSE_OK) {
    presse_buf_clear(err);
    presse_buf_printf(err, "invalid UTF-8 at byte offset %zu, and not valid %s either", bad, from);
    return rc == PRESSE_ENOMEM ? rc : PRESSE_EUTF8;
  }
  *out = conv->data ? conv->data : "";
  *out_len = conv->len;
  *encoding = c1 ? "windows-1252" : euro ? "iso-8859-15" : "iso-8859-1";
  return PRESSE_OK;
}

/* ---- mojibake ---- */

/* The byte a code point had before a wrong single-byte decoding turned it into that code point;
 * -1 if none did. */
static int byte_of(uint32_t cp) {
  if (cp >= 0x80 && cp <= 0xFF) return (int)cp;
  for (int i = 0; i < 32; i++)
    if (cp1252_high[i] == cp) return 0x80 + i;
  return -1;
}

static size_t decode1(const unsigned char *s, size_t len, uint32_t *cp) {
  unsigned c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (!n || n > len) {
    *cp = c;
    return 1;
  }
  uint32_t v = c & (0x7F >> n);
  for (size_t k = 1; k < n; k++) v = (v << 6) | (s[k] & 0x3F);
  *cp = v;
  return n;
}

/* Code points that mis-decoded German text can have stood for: Latin-1 supplement and Latin
 * Extended-A (umlauts, ß, é, ł), general punctuation (dashes, quotes, ellipsis) and the euro. */
static int plausible(uint32_t cp) {
  return (cp >= 0xA0 && cp <= 0x17F) || (cp >= 0x2010 && cp <= 0x203A) || cp == 0x20AC;
}

int presse_encoding_has_mojibake(const char *str, size_t len) {
  const unsigned char *s = (const unsigned char *)str;
  const unsigned char *p = s, *end = s + len;
  /* "Ã" (C3 83) precedes mis-decoded ä ö ü ß, "Â" (C3 82) mis-decoded NBSP § °, "â" (C3 A2)
   * mis-decoded dashes and quotes */
  while ((p = memchr(p, 0xC3, (size_t)(end - p))) != NULL && p + 1 < end) {
    if (p[1] == 0x83 || p[1] == 0x82 || p[1] == 0xA2) return 1;
    p++;
  }
  return 0;
}

int presse_encoding_repair(const char *str, size_t len, presse_buf *out) {
  if (!presse_encoding_has_mojibake(str, len)) return 0;
  const unsigned char *s = (const unsigned char *)str;
  presse_buf tmp = PRESSE_BUF_INIT;
  int changed = 0;
  size_t i = 0, copied = 0;
  while (i < len) {
    if (s[i] < 0xC2) {
      i++;
      continue;
    }
    /* a run of characters that each map back to one byte >= 0x80, with where each came from */
    unsigned char bytes[64];
    size_t from[65], nb = 0, j = i;
    while (j < len && nb < sizeof bytes) {
      uint32_t cp;
      size_t n = decode1(s + j, len - j, &cp);
      int b = cp >= 0x80 ? byte_of(cp) : -1;
      if (b < 0) break;
      from[nb] = j;
      bytes[nb++] = (unsigned char)b;
      j += n;
    }
    from[nb] = j;
    if (nb < 2) {
      i = j > i ? j : i + 1;
      continue;
    }
    /* inside the run, every stretch of bytes that is well-formed UTF-8 of a plausible character
     * replaces the characters it was mis-decoded into */
    for (size_t k = 0; k < nb;) {
      uint32_t cp;
      size_t n = decode1(bytes + k, nb - k, &cp), bad;
      /* leads C2/C3/E2 only: German text never needs others, and "Ä…" (C4 85) is real text */
      int lead_ok = bytes[k] == 0xC2 || bytes[k] == 0xC3 || bytes[k] == 0xE2;
      if (n >= 2 && lead_ok && presse_utf8_check((const char *)bytes + k, n, &bad) && plausible(cp)) {
        if (presse_buf_append(&tmp, str + copied, from[k] - copied) != PRESSE_OK ||
            presse_buf_append(&tmp, (const char *)bytes + k, n) != PRESSE_OK) {
          presse_buf_free(&tmp);
          return 0;
        }
        copied = from[k + n];
        changed = 1;
        k += n;
      } else {
        k++;
      }
    }
    i = j;
  }
  if (!changed) {
    presse_buf_free(&tmp);
    return 0;
  }
  if (presse_buf_append(&tmp, str + copied, len - copied) != PRESSE_OK) {
    presse_buf_free(&tmp);
    return 0;
  }
  presse_buf_clear(out);
  presse_buf_append(out, tmp.data, tmp.len);
  presse_buf_free(&tmp);
  return 1;
}
