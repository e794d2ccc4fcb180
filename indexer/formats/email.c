/* E-mail: .eml files, mbox files and Maildir messages, parsed with GMime (RFC 5322 headers,
 * RFC 2047 encoded words, MIME structure, quoted-printable and base64). A press office sends a
 * release as the body of a message, often again as a PDF or DOCX attachment, sometimes
 * forwarded by a colleague; so one message gives one release (subject as title, Date header as
 * date, the sender's organisation as issuer, the body without quoted replies and signature), and
 * each attachment presse reads is indexed as a document of its own that names its message. The
 * fingerprint of document/fingerprint.c then shows a body and an attachment carrying the same
 * release once. The Message-ID is the document id ("mid:..."), so reading a mailbox again
 * replaces what is there and adds only new messages. Bad messages and attachments are reported
 * one by one; the rest of the mailbox is read. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "document/meta.h"
#include "indexer/formats/formats.h"
#include "indexer/indexer_internal.h"
#include "util/hash.h"
#include "util/path.h"

enum {
  MAX_DEPTH = 8,   /* multiparts and forwarded messages inside each other */
  MAX_PARTS = 256, /* MIME parts of one message */
  SHORT_BODY = 200 /* a body this short beside an attachment is a cover note, not the release */
};

static gpointer init_gmime(gpointer unused) {
  (void)unused;
  g_mime_init();
  return NULL;
}

static void mail_init(void) {
  static GOnce once = G_ONCE_INIT;
  g_once(&once, init_gmime, NULL);
}

unsigned presse_mail_date(const char *s) {
  mail_init();
  if (!s) return 0;
  GDateTime *dt = g_mime_utils_header_decode_date(s);
  if (!dt) return 0;
  int y, m, d;
  g_date_time_get_ymd(dt, &y, &m, &d);
  g_date_time_unref(dt);
  return y >= 1900 && y <= 2199 ? (unsigned)(y * 10000 + m * 100 + d) : 0;
}

/* ---- which files are mail ---- */

static int is_dir(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A file in cur/ or new/ of a folder that has both. */
static int in_maildir(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return 0;
  size_t dl = (size_t)(slash - path);
  const char *d = path;
  for (const char *p = path; p < slash; p++)
    if (*p == '/') d = p + 1;
  size_t nl = (size_t)(slash - d);
  if (!(nl == 3 && (!memcmp(d, "cur", 3) || !memcmp(d, "new", 3)))) return 0;
  char buf[4096];
  size_t root = dl - nl; /* "box/" */
  if (root + 4 >= sizeof buf) return 0;
  memcpy(buf, path, root);
  memcpy(buf + root, "cur", 4);
  if (!is_dir(buf)) return 0;
  memcpy(buf + root, "new", 4);
  return is_dir(buf);
}

static int starts_mbox(const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char b[5];
  ssize_t n = read(fd, b, sizeof b);
  close(fd);
  return n == 5 && !memcmp(b, "From ", 5);
}

int presse_indexer_is_mail(const char *path) {
  char eb[16];
  const char *ext = presse_path_ext(path, eb, sizeof eb);
  if (!strcmp(ext, "eml") || !strcmp(ext, "mbox") || !strcmp(ext, "mbx")) return 1;
  if (in_maildir(path)) return 1;
  return !*ext && starts_mbox(path);
}

/* ---- subject and body ---- */

static int prefix_ci(const char *s, const char *p) { return !strncasecmp(s, p, strlen(p)); }

int presse_mail_subject(const char *s, presse_buf *out) {
  presse_buf_clear(out);
  if (!s) return PRESSE_OK;
  /* reply and forward markers, list tags and genre words, in any order and number */
  static const char *const marks[] = {"fwd:", "fw:", "wg:", "wtr:", "tr:", "re:", "aw:", "antw:", NULL};
  static const char *const genre[] = {"pressemitteilung", "pressemeldung", "presseinformation", "medieninformation",
                                      "presseerklärung", "pressenotiz", "pm", "pi", NULL};
  for (int changed = 1; changed;) {
    changed = 0;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    if (*s == '[') { /* "[presse-hagen]" */
      const char *e = strchr(s, ']');
      if (e && e - s < 60) {
        s = e + 1;
        changed = 1;
        continue;
      }
    }
    for (size_t i = 0; marks[i]; i++)
      if (prefix_ci(s, marks[i])) {
        s += strlen(marks[i]);
        changed = 1;
        break;
      }
    if (changed) continue;
    for (size_t i = 0; genre[i]; i++) {
      size_t gl = strlen(genre[i]);
      if (!prefix_ci(s, genre[i]) || isalpha((unsigned char)s[gl]) || (unsigned char)s[gl] >= 0x80) continue;
      /* "PM:", "Pressemitteilung Nr. 12/2025:", "Pressemitteilung - ..." */
      const char *p = s + gl;
      while (*p && *p != ':' && (size_t)(p - s) < gl + 24 && (isdigit((unsigned char)*p) || strchr(" ./-Nnr", *p)))
        p++;
      int sep = *p == ':' || memchr(s + gl, '-', (size_t)(p - s) - gl) || !strncmp(p, "\xE2\x80\x93 ", 4);
      if (!sep) continue;
      if (*p == ':') p++;
      else if (*p == '\xE2') p += 3; /* an en dash */
      s = p;
      changed = 1;
      break;
    }
  }
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
  int rc = presse_buf_append(out, s, n);
  for (size_t i = 0; i < out->len; i++)
    if (out->data[i] == '\n' || out->data[i] == '\r' || out->data[i] == '\t') out->data[i] = ' ';
  return rc;
}

/* 1: a forward marker ("---------- Forwarded message ---------", "-------- Weitergeleitete
 * Nachricht --------", "Anfang der weitergeleiteten Nachricht:"), 2: the start of a quoted
 * original ("-----Ursprüngliche Nachricht-----", "-----Original Message-----"), which Outlook
 * also writes when forwarding. */
static int marker_of(const char *l, size_t n) {
  static const char *const fwd[] = {"forwarded message", "weitergeleitete nachricht", "begin forwarded message",
                                    "anfang der weitergeleiteten nachricht", NULL};
  static const char *const orig[] = {"original message", "ursprüngliche nachricht", "ursprungliche nachricht",
                                     NULL};
  size_t i = 0;
  while (i < n && (l[i] == '-' || l[i] == ' ' || l[i] == '>')) i++;
  char low[80];
  size_t k = 0;
  for (; i < n && k + 1 < sizeof low; i++) low[k++] = (char)tolower((unsigned char)l[i]);
  while (k && (low[k - 1] == '-' || low[k - 1] == ' ' || low[k - 1] == ':')) k--;
  low[k] = '\0';
  for (size_t j = 0; fwd[j]; j++)
    if (!strcmp(low, fwd[j])) return 1;
  for (size_t j = 0; orig[j]; j++)
    if (!strcmp(low, orig[j])) return 2;
  return 0;
}

/* "Von: ...", "From: ...", "Betreff: ..." in the header block of a forwarded message. */
static int fwd_header(const char *l, size_t n, const char **val) {
  static const char *const names[] = {"von:",  "from:",    "gesendet:", "sent:",  "datum:", "date:",
                                      "an:",   "to:",      "cc:",       "betreff:", "subject:", "reply-to:",
                                      "antwort an:", NULL};
  for (size_t i = 0; names[i]; i++) {
    size_t k = strlen(names[i]);
    if (n >= k && !strncasecmp(l, names[i], k)) {
      *val = l + k;
      return (int)i + 1;
    }
  }
  return 0;
}

static int attribution(const char *l, size_t n) {
  /* "Am 30.01.2025 um 10:00 schrieb Michael Kaub <...>:", "On Thu, ... wrote:" */
  if (!n || l[n - 1] != ':') return 0;
  for (size_t i = 0; i + 6 < n; i++)
    if (!strncmp(l + i, " schrieb", 8) || !strncmp(l + i, " wrote", 6)) return 1;
  return 0;
}

static int blank(const char *l, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (!isspace((unsigned char)l[i])) return 0;
  return 1;
}

int presse_mail_body(const char *s, size_t len, int forwarded, presse_buf *body, presse_buf *sig,
                     presse_buf *fwd_from) {
  presse_buf_clear(body);
  presse_buf_clear(sig);
  presse_buf_clear(fwd_from);
  int rc = PRESSE_OK;
  int in_fwd = 0, in_hdr = 0, hdrs = 0, in_sig = 0;
  for (size_t i = 0; i < len && rc == PRESSE_OK;) {
    size_t e = i;
    while (e < len && s[e] != '\n') e++;
    const char *l = s + i;
    size_t n = e - i;
    size_t next = e + 1;
    if (n && l[n - 1] == '\r') n--;
    i = next;
    int mk = in_fwd ? 0 : marker_of(l, n);
    if (mk == 1 || (mk == 2 && forwarded)) {
      /* the release starts below the forward's header block; the forwarder's note and
         signature above it are not part of it */
      presse_buf_clear(body);
      presse_buf_clear(sig);
      in_fwd = in_hdr = 1;
      in_sig = hdrs = 0;
      continue;
    }
    if (mk == 2) break; /* a reply: what follows is the quoted original */
    const char *q = l;
    size_t qn = n;
    if (in_fwd) /* some clients quote the forwarded message: one level is the release's text */
      if (qn && q[0] == '>') {
        q++;
        qn--;
        if (qn && q[0] == ' ') {
          q++;
          qn--;
        }
      }
    if (in_hdr) {
      const char *val;
      int h = fwd_header(q, qn, &val);
      if (h) {
        hdrs++;
        if (h <= 2) {
          while (*val == ' ') val++;
          presse_buf_clear(fwd_from);
          rc = presse_buf_append(fwd_from, val, qn - (size_t)(val - q));
        }
        continue;
      }
      if (blank(q, qn) && !hdrs) continue;
      in_hdr = 0;
      if (blank(q, qn)) continue;
    }
    if (!in_fwd && qn && q[0] == '>') continue; /* a quoted reply */
    if (attribution(q, qn)) {
      size_t k = next;
      while (k < len && (s[k] == ' ' || s[k] == '\r' || s[k] == '\n')) k++;
      if (k >= len || s[k] == '>') continue;
    }
    if ((qn == 3 && !memcmp(q, "-- ", 3)) || (qn == 2 && !memcmp(q, "--", 2))) { /* RFC 3676 signature */
      in_sig = 1;
      continue;
    }
    presse_buf *to = in_sig ? sig : body;
    rc = presse_buf_append(to, q, qn);
    if (rc == PRESSE_OK) rc = presse_buf_putc(to, '\n');
  }
  return rc;
}

/* ---- MIME ---- */

typedef struct parts {
  GMimeObject *plain, *html;
  GPtrArray *attachments; /* GMimePart */
  GPtrArray *messages;    /* GMimeMessage: forwarded as message/rfc822 */
  unsigned count;
  int too_deep, too_many, broken;
  char broken_type[64];
} parts;

static void walk(GMimeObject *o, int depth, parts *c) {
  if (!o) return;
  if (++c->count > MAX_PARTS) {
    c->too_many = 1;
    return;
  }
  if (depth > MAX_DEPTH) {
    c->too_deep = 1;
    return;
  }
  if (GMIME_IS_MULTIPART(o)) {
    GMimeMultipart *mp = GMIME_MULTIPART(o);
    int n = g_mime_multipart_get_count(mp);
    if (n <= 0 && !c->broken) {
      c->broken = 1;
      GMimeContentType *ct = g_mime_object_get_content_type(o);
      snprintf(c->broken_type, sizeof c->broken_type, "%s/%s", ct ? g_mime_content_type_get_media_type(ct) : "?",
               ct ? g_mime_content_type_get_media_subtype(ct) : "?");
    }
    for (int i = 0; i < n; i++) walk(g_mime_multipart_get_part(mp, i), depth + 1, c);
    return;
  }
  if (GMIME_IS_MESSAGE_PART(o)) {
    GMimeMessage *m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
    if (m) g_ptr_array_add(c->messages, m);
    return;
  }
  if (!GMIME_IS_PART(o)) return;
  GMimePart *p = GMIME_PART(o);
  GMimeContentType *ct = g_mime_object_get_content_type(o);
  int attached = g_mime_part_is_attachment(p) || g_mime_part_get_filename(p);
  if (!attached && ct && g_mime_content_type_is_type(ct, "text", "plain")) {
    if (!c->plain) c->plain = o;
  } else if (!attached && ct && g_mime_content_type_is_type(ct, "text", "html")) {
    if (!c->html) c->html = o;
  } else if (!ct || !g_mime_content_type_is_type(ct, "image", "*")) { /* logos in signatures: no documents */
    g_ptr_array_add(c->attachments, p);
  }
}

/* The decoded bytes of a part (transfer encoding undone), at most max. */
static int part_bytes(GMimePart *p, size_t max, presse_buf *out, presse_buf *err) {
  presse_buf_clear(out);
  GMimeDataWrapper *w = g_mime_part_get_content(p);
  if (!w) return PRESSE_OK;
  GMimeStream *src = g_mime_data_wrapper_get_stream(w);
  gint64 enc = src ? g_mime_stream_length(src) : -1;
  /* base64 is a third larger than what it carries, quoted-printable at most three times */
  if (enc > 0 && (guint64)enc / 3 > max) {
    presse_buf_clear(err);
    presse_buf_printf(err, "%lld encoded bytes, over the limit of %zu bytes (--max-size)", (long long)enc, max);
    return PRESSE_ETOOBIG;
  }
  GMimeStream *mem = g_mime_stream_mem_new();
  g_mime_data_wrapper_write_to_stream(w, mem);
  GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
  int rc = PRESSE_OK;
  if (ba && ba->len > max) {
    presse_buf_clear(err);
    presse_buf_printf(err, "%u bytes, over the limit of %zu bytes (--max-size)", ba->len, max);
    rc = PRESSE_ETOOBIG;
  } else if (ba && ba->len) {
    rc = presse_buf_append(out, (const char *)ba->data, ba->len);
  }
  g_object_unref(mem);
  return rc;
}

/* The static name --verbose shows for a declared charset. */
static const char *charset_name(const char *cs) {
  static const char *const known[] = {"windows-1252", "iso-8859-1", "iso-8859-15", "iso-8859-2", "windows-1250",
                                      "koi8-r", "utf-16", NULL};
  const char *canon = g_mime_charset_canon_name(cs);
  for (size_t i = 0; known[i]; i++)
    if (!strcasecmp(cs, known[i]) || (canon && !strcasecmp(canon, known[i]))) return known[i];
  if (canon && !strcasecmp(canon, "cp1252")) return "windows-1252";
  return "declared charset";
}

/* A text part as UTF-8: its declared charset (ISO-8859-1 with bytes 0x80-0x9F is read as
 * Windows-1252, as mail clients do), else detected like a text file. *text points into raw or conv. */
static int part_text(GMimeObject *o, size_t max, presse_buf *raw, presse_buf *conv, const char **text, size_t *tlen,
                     const char **encoding, presse_buf *err) {
  int rc = part_bytes(GMIME_PART(o), max, raw, err);
  if (rc != PRESSE_OK) return rc;
  *text = raw->data ? raw->data : "";
  *tlen = raw->len;
  *encoding = "utf-8";
  if (!raw->len) return PRESSE_OK;
  const char *cs = g_mime_object_get_content_type_parameter(o, "charset");
  if (cs && strcasecmp(cs, "utf-8") && strcasecmp(cs, "utf8") && strcasecmp(cs, "us-ascii")) {
    const char *from = cs;
    if (!strcasecmp(cs, "iso-8859-1") || !strcasecmp(cs, "latin1") || !strcasecmp(cs, "iso8859-1")) {
      for (size_t i = 0; i < raw->len; i++)
        if ((unsigned char)raw->data[i] >= 0x80 && (unsigned char)raw->data[i] <= 0x9F) from = "windows-1252";
    }
    presse_buf_clear(conv);
    if (presse_encoding_convert(from, raw->data, raw->len, conv) == PRESSE_OK) {
      *text = conv->data ? conv->data : "";
      *tlen = conv->len;
      *encoding = charset_name(from);
      return PRESSE_OK;
    }
  }
  presse_buf e2 = PRESSE_BUF_INIT;
  rc = presse_encoding_decode(raw->data, raw->len, conv, text, tlen, encoding, &e2);
  if (rc != PRESSE_OK) {
    presse_buf_clear(err);
    presse_buf_printf(err, "body: %s", e2.len ? e2.data : presse_strerror(rc));
  }
  presse_buf_free(&e2);
  return rc;
}

/* ---- the sender's organisation ---- */

/* Display names that are a person's: "Michael Kaub" <michael.kaub@...>, "Kaub, Michael". */
static int person_name(const char *name, const char *addr) {
  if (!addr) return 0;
  const char *at = strchr(addr, '@');
  if (!at) return 0;
  size_t hits = 0, words = 0;
  for (const char *p = name; *p;) {
    while (*p && !isalpha((unsigned char)*p)) p++;
    const char *q = p;
    while (*q && isalpha((unsigned char)*q)) q++;
    if (q - p >= 2) {
      words++;
      for (const char *l = addr; l + (q - p) <= at; l++)
        if (!strncasecmp(l, p, (size_t)(q - p))) {
          hits++;
          break;
        }
    }
    p = q;
  }
  return words >= 2 && hits >= 2;
}

/* The issuer of a message: the institution its sender's display name or signature names (the
 * forwarded message's sender for a forward). Taken as the issuer when the sender's domain spells
 * it, or when both the name and the signature name it; otherwise a hint for the text heuristic. */
static void sender_org(presse_analyzer *an, const char *name, const char *addr, const presse_buf *sig,
                       const presse_buf *fwd_from, presse_buf *org, int *sure) {
  presse_buf a = PRESSE_BUF_INIT, b = PRESSE_BUF_INIT;
  *sure = 0;
  presse_buf_clear(org);
  if (fwd_from->len) {
    presse_meta_institution(an, fwd_from->data, fwd_from->len, &a);
    /* "Pressestelle Stadt Hagen <pressestelle@stadt-hagen.de>" */
    const char *lt = memchr(fwd_from->data, '<', fwd_from->len), *gt = lt ? strchr(lt, '>') : NULL;
    if (a.len && lt && gt) {
      char fa[256];
      size_t fl = (size_t)(gt - lt - 1) < sizeof fa - 1 ? (size_t)(gt - lt - 1) : sizeof fa - 1;
      memcpy(fa, lt + 1, fl);
      fa[fl] = '\0';
      *sure = presse_meta_domain_spells(an, fa, a.data);
    }
  } else {
    if (name && *name && !person_name(name, addr)) presse_meta_institution(an, name, strlen(name), &a);
    if (sig->len) presse_meta_institution(an, sig->data, sig->len, &b);
    if (!a.len && b.len) {
      presse_buf t = a;
      a = b;
      b = t;
    }
    if (a.len) *sure = presse_meta_domain_spells(an, addr, a.data) || (b.len && !strcmp(a.data, b.data));
  }
  if (a.len) presse_buf_append(org, a.data, a.len);
  presse_buf_free(&a);
  presse_buf_free(&b);
}

/* ---- one message ---- */

typedef struct mailrun {
  presse_indexer *ix;
  const char *path; /* as given: shown in reports */
  const char *abs;  /* stored as the documents' path */
  presse_buf what, raw, conv, body, sig, fwd, title, org, id, text;
} mailrun;

static void hash_str(unsigned long long *h, const char *s) {
  static const unsigned char end = 0xff; /* between fields: ("ab", "c") is not ("a", "bc") */
  *h = presse_fnv1a(presse_fnv1a(*h, s ? s : "", s ? strlen(s) : 0), &end, 1);
}

static int has_text(const char *s, size_t n, size_t min) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (!isspace((unsigned char)s[i]) && ++k >= min) return 1;
  return 0;
}

static int read_message(mailrun *mr, GMimeMessage *m, const char *what, const char *parent, int depth);

/* Attachments presse reads: by file name, else by content type. */
static int readable_attachment(GMimePart *p, const char **name) {
  const char *fn = g_mime_part_get_filename(p);
  *name = fn;
  char eb[16];
  const char *ext = fn ? presse_path_ext(fn, eb, sizeof eb) : "";
  static const char *const exts[] = {"pdf", "docx", "odt", "html", "htm", "txt", "md", NULL};
  for (size_t i = 0; exts[i]; i++)
    if (!strcmp(ext, exts[i])) return 1;
  GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(p));
  if (!ct) return 0;
  static const char *const types[][2] = {
      {"application", "pdf"},
      {"application", "vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"application", "vnd.oasis.opendocument.text"},
      {"text", "html"},
      {"text", "plain"},
      {NULL, NULL}};
  for (size_t i = 0; types[i][0]; i++)
    if (g_mime_content_type_is_type(ct, types[i][0], types[i][1])) {
      static const char *const def[] = {"attachment.pdf", "attachment.docx", "attachment.odt", "attachment.html",
                                        "attachment.txt"};
      if (!fn || !*ext) *name = def[i];
      return 1;
    }
  return 0;
}

static int read_attachments(mailrun *mr, parts *c, const char *id, const char *what, unsigned *stored) {
  presse_indexer *ix = mr->ix;
  int rc = PRESSE_OK;
  presse_buf aid = PRESSE_BUF_INIT, awhat = PRESSE_BUF_INIT, err = PRESSE_BUF_INIT;
  for (guint i = 0; i < c->attachments->len && rc == PRESSE_OK; i++) {
    GMimePart *p = g_ptr_array_index(c->attachments, i);
    const char *name;
    if (!readable_attachment(p, &name)) continue;
    presse_buf_clear(&awhat);
    presse_buf_printf(&awhat, "%s: %s", what, name);
    presse_buf_clear(&aid);
    presse_buf_printf(&aid, "%s/%u/%s", id, i + 1, name);
    int r2 = part_bytes(p, ix->max_doc_bytes, &mr->raw, &err);
    if (r2 != PRESSE_OK) {
      presse_indexer_fail(ix, r2, "%s", err.len ? err.data : presse_strerror(r2));
    } else {
      ix->parent = id;
      r2 = presse_indexer_add_buffer(ix, aid.data, name, mr->raw.data ? mr->raw.data : "", mr->raw.len,
                                     PRESSE_FMT_AUTO);
      ix->parent = NULL;
      if (r2 == PRESSE_OK) (*stored)++;
    }
    rc = presse_indexer_item_status(ix, awhat.data, r2);
  }
  presse_buf_free(&aid);
  presse_buf_free(&awhat);
  presse_buf_free(&err);
  return rc;
}

static int read_message(mailrun *mr, GMimeMessage *m, const char *what, const char *parent, int depth) {
  presse_indexer *ix = mr->ix;
  if (depth > MAX_DEPTH) {
    presse_indexer_report(ix, what, "forwarded messages nested more than 8 levels deep: the deeper ones not read");
    return PRESSE_OK;
  }
  const char *mid = g_mime_message_get_message_id(m);
  const char *subject = g_mime_message_get_subject(m);
  InternetAddressList *from = g_mime_message_get_from(m);
  InternetAddress *fa = from && internet_address_list_length(from) > 0 ? internet_address_list_get_address(from, 0)
                                                                          : NULL;
  const char *from_name = fa ? internet_address_get_name(fa) : NULL;
  const char *from_addr = fa && INTERNET_ADDRESS_IS_MAILBOX(fa) ? internet_address_mailbox_get_addr(
                                                                      INTERNET_ADDRESS_MAILBOX(fa))
                                                                : NULL;
  const char *date_hdr = g_mime_object_get_header(GMIME_OBJECT(m), "Date");
  if (!mid && !subject && !fa && !date_hdr)
    return presse_indexer_report(ix, what, "no e-mail headers (not a message, or a broken mbox separator)"),
           PRESSE_OK;
  /* the id: the Message-ID, else a hash of what identifies the message */
  presse_buf_clear(&mr->id);
  if (mid && *mid) {
    presse_buf_printf(&mr->id, "mid:%s", mid);
  } else {
    unsigned long long h = PRESSE_FNV1A_INIT;
    hash_str(&h, date_hdr);
    hash_str(&h, from_addr);
    hash_str(&h, subject);
    presse_buf_printf(&mr->id, "mail:%016llx", h);
  }
  char *id = presse_buf_detach(&mr->id); /* nested messages reuse the buffers */
  unsigned date = 0;
  GDateTime *dt = g_mime_message_get_date(m);
  if (dt) {
    int y, mo, d;
    g_date_time_get_ymd(dt, &y, &mo, &d);
    if (y >= 1900 && y <= 2199) date = (unsigned)(y * 10000 + mo * 100 + d);
  }

  parts c;
  memset(&c, 0, sizeof c);
  c.attachments = g_ptr_array_new();
  c.messages = g_ptr_array_new();
  walk(g_mime_message_get_mime_part(m), 0, &c);
  int rc = PRESSE_OK;
  if (c.broken) { /* one line for the message; its good parts are still read */
    char msg[160];
    snprintf(msg, sizeof msg, "broken MIME structure: %s without parts (its boundary never occurs)", c.broken_type);
    presse_indexer_report(ix, what, msg);
  }
  if (c.too_deep) presse_indexer_report(ix, what, "MIME parts nested more than 8 levels deep: the deeper ones not read");
  if (c.too_many) presse_indexer_report(ix, what, "more than 256 MIME parts: the rest not read");

  /* attachments and forwarded messages first: whether the body is a cover note depends on them */
  unsigned stored = 0;
  presse_buf mwhat = PRESSE_BUF_INIT;
  for (guint i = 0; i < c.messages->len && rc == PRESSE_OK; i++) {
    GMimeMessage *inner = g_ptr_array_index(c.messages, i);
    presse_buf_clear(&mwhat);
    if (depth) presse_buf_printf(&mwhat, "%.*s%u", (int)(strrchr(what, ' ') - what + 1), what, depth + 1);
    else presse_buf_printf(&mwhat, "%s: forwarded message at level 1", what);
    unsigned long long before = ix->docs;
    rc = read_message(mr, inner, mwhat.data, id, depth + 1);
    stored += (unsigned)(ix->docs - before);
  }
  presse_buf_free(&mwhat);
  if (rc == PRESSE_OK) rc = read_attachments(mr, &c, id, what, &stored);

  /* the body */
  const char *text = NULL, *encoding = NULL;
  size_t tlen = 0;
  presse_buf err = PRESSE_BUF_INIT;
  presse_extracted hx;
  memset(&hx, 0, sizeof hx);
  int brc = PRESSE_OK;
  GMimeObject *bp = c.plain ? c.plain : c.html;
  if (rc == PRESSE_OK && bp) {
    brc = part_text(bp, ix->max_doc_bytes, &mr->raw, &mr->conv, &text, &tlen, &encoding, &err);
    if (brc == PRESSE_OK && !c.plain) {
      brc = presse_format_html(text, tlen, &hx);
      if (brc != PRESSE_OK) {
        presse_buf_clear(&err);
        presse_buf_printf(&err, "HTML body: %s", hx.err.len ? hx.err.data : presse_strerror(brc));
      }
      text = hx.text.data ? hx.text.data : "";
      tlen = hx.text.len;
    }
  }
  int forwarded = subject && (prefix_ci(subject, "fwd:") || prefix_ci(subject, "fw:") || prefix_ci(subject, "wg:"));
  if (rc == PRESSE_OK && brc == PRESSE_OK && text)
    brc = presse_mail_body(text, tlen, forwarded, &mr->body, &mr->sig, &mr->fwd);
  if (rc != PRESSE_OK) {
  } else if (brc != PRESSE_OK) {
    presse_indexer_report(ix, what, err.len ? err.data : presse_strerror(brc));
  } else if (!mr->body.len || !has_text(mr->body.data, mr->body.len, 1)) {
    if (!stored && !c.broken && !c.messages->len)
      presse_indexer_report(ix, what, "message without a body (no text part and no readable attachment)");
  } else if (stored && !has_text(mr->body.data, mr->body.len, SHORT_BODY)) {
    /* "anbei unsere Pressemitteilung": the attachment is the release */
  } else {
    /* never let "KÃ¼hner" in, as for files */
    const char *bt = mr->body.data;
    size_t bl = mr->body.len;
    if (presse_encoding_repair(bt, bl, &mr->text)) {
      bt = mr->text.data;
      bl = mr->text.len;
    }
    presse_mail_subject(subject, &mr->title);
    int sure;
    sender_org(ix->an, from_name, from_addr, &mr->sig, &mr->fwd, &mr->org, &sure);
    presse_record r = {0};
    r.id = id;
    r.path = mr->abs;
    r.title = mr->title.len ? mr->title.data : NULL;
    r.text = bt;
    r.text_len = bl;
    r.date = date;
    r.format = "eml";
    presse_record_meta meta = {0};
    if (mr->org.len) {
      if (sure) meta.issuer = mr->org.data;
      else meta.issuer_hint = mr->org.data;
    }
    meta.encoding = encoding;
    meta.parent = parent;
    meta.mtime = ix->file_mtime;
    meta.size = ix->file_size;
    int r2 = presse_indexer_add_record_meta(ix, &r, &meta);
    ix->last_encoding = encoding;
    rc = presse_indexer_item_status(ix, what, r2);
  }
  presse_extracted_free(&hx);
  presse_buf_free(&err);
  g_ptr_array_free(c.attachments, TRUE);
  g_ptr_array_free(c.messages, TRUE);
  free(id);
  return rc;
}

/* ---- the file ---- */

int presse_indexer_add_mail(presse_indexer *ix, const char *path) {
  mail_init();
  int mbox = starts_mbox(path);
  struct stat st;
  int fd = presse_indexer_open_file(ix, path, !mbox, &st); /* one message is bounded as a file is */
  if (fd < 0) return fd;
  if (st.st_size == 0) {
    close(fd);
    return presse_indexer_fail(ix, PRESSE_EFORMAT, "empty file");
  }
  GMimeStream *s = g_mime_stream_fs_new(fd); /* owns fd */
  GMimeParser *p = g_mime_parser_new_with_stream(s);
  g_object_unref(s);
  g_mime_parser_set_format(p, mbox ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
  mailrun mr;
  memset(&mr, 0, sizeof mr);
  mr.ix = ix;
  mr.path = path;
  char *abs = presse_path_absolute(path);
  mr.abs = abs ? abs : path;
  int rc = PRESSE_OK;
  unsigned n = 0;
  ix->file_mtime = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
  ix->file_size = (long long)st.st_size;
  ix->container_path = mr.abs; /* attachments are found again by their mailbox (watch.c) */
  while (rc == PRESSE_OK && !g_mime_parser_eos(p)) {
    if (ix->stop) {
      rc = presse_indexer_fail(ix, PRESSE_EABORT, "interrupted");
      break;
    }
    gint64 start = mbox ? g_mime_parser_get_mbox_marker_offset(p) : 0;
    GMimeMessage *m = g_mime_parser_construct_message(p, NULL);
    if (!m) {
      if (!n) rc = presse_indexer_fail(ix, PRESSE_EFORMAT, "%s", mbox ? "not an mbox file" : "not an e-mail message");
      break;
    }
    n++;
    const char *mid = g_mime_message_get_message_id(m);
    presse_buf_clear(&mr.what);
    if (mbox) presse_buf_printf(&mr.what, "%s: message %u%s%s%s", path, n, mid ? " <" : "", mid ? mid : "", mid ? ">" : "");
    else presse_buf_puts(&mr.what, path);
    gint64 end = g_mime_parser_tell(p);
    if (mbox && start >= 0 && end > start && (unsigned long long)(end - start) > ix->max_doc_bytes) {
      char msg[160];
      snprintf(msg, sizeof msg, "message of %lld bytes is over the limit of %zu bytes (--max-size)",
               (long long)(end - start), ix->max_doc_bytes);
      presse_indexer_report(ix, mr.what.data, msg);
    } else {
      rc = read_message(&mr, m, mr.what.data, NULL, 0);
    }
    g_object_unref(m);
  }
  g_object_unref(p);
  ix->file_mtime = ix->file_size = 0;
  ix->container_path = NULL;
  presse_buf *bufs[] = {&mr.what, &mr.raw, &mr.conv, &mr.body, &mr.sig, &mr.fwd, &mr.title, &mr.org, &mr.id, &mr.text};
  for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) presse_buf_free(bufs[i]);
  free(abs);
  if (rc == PRESSE_OK) ix->last_container = 1;
  return rc;
}
