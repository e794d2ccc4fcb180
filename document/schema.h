/* The index layout in one place (DESIGN.md, "Index layout"): the keys of the stored data that
 * document/document.c writes and store/'s hit accessors read. Internal to libpresse; callers
 * reach these fields through presse_hits_title() and its siblings, never by key. */
#ifndef PRESSE_DOCUMENT_SCHEMA_H
#define PRESSE_DOCUMENT_SCHEMA_H

/* Keys of the stored data (a JSON object per document). */
#define PRESSE_STORED_ID "id"
#define PRESSE_STORED_PATH "path"
#define PRESSE_STORED_TITLE "title"
#define PRESSE_STORED_DATE "date" /* "YYYY-MM-DD" */
#define PRESSE_STORED_FORMAT "format"
#define PRESSE_STORED_FINGERPRINT "fingerprint"
#define PRESSE_STORED_ENCODING "encoding" /* only when the source was not UTF-8 */
#define PRESSE_STORED_EMAILS "emails"     /* array of strings */
#define PRESSE_STORED_PHONES "phones"
#define PRESSE_STORED_URLS "urls"
#define PRESSE_STORED_ENTITIES "entities" /* array of mentions, keys below */
#define PRESSE_STORED_ISSUER "issuer"     /* string or null */
#define PRESSE_STORED_CONTACTS "contacts" /* array of persons, keys below */
#define PRESSE_STORED_TEXT "text"
#define PRESSE_STORED_LINK "link"       /* a feed item's link */
#define PRESSE_STORED_MESSAGE "message" /* an attachment's e-mail message */
#define PRESSE_STORED_OCR "ocr"         /* pages read by OCR, a number */

/* A mention in "entities". */
#define PRESSE_STORED_ENT_TYPE "type"
#define PRESSE_STORED_ENT_CANONICAL "canonical"
#define PRESSE_STORED_ENT_SURFACE "surface"
#define PRESSE_STORED_ENT_START "start"
#define PRESSE_STORED_ENT_END "end"

/* A person in "contacts". */
#define PRESSE_STORED_CONTACT_NAME "name"
#define PRESSE_STORED_CONTACT_EMAIL "email"
#define PRESSE_STORED_CONTACT_PHONE "phone"

#endif
