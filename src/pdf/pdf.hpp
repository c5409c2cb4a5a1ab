// PAdES signatures on any PDF a user brings (ETSI EN 319 142-1, ISO 32000-1 §12.8), and reading
// back the signatures of a PDF for verification.
//
// Signing is three steps, with the CMS made elsewhere (src/signing):
//   1. PrepareSignature(pdf, request) appends an incremental update to the untouched original
//      bytes (so earlier signatures stay valid): a signature field and widget on the chosen page,
//      added to the page's /Annots and to /AcroForm /Fields, and a signature dictionary
//      (/Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached) whose /Contents is a zero-filled
//      placeholder. The new cross-reference section is of the same kind as the file's last one.
//   2. The caller builds a detached CMS SignedData over Prepared::BytesToSign() (the whole file
//      except the /Contents hex string, as /ByteRange says).
//   3. EmbedSignature(prepared, cms_der) writes the CMS into the placeholder.
//
// Visible signatures follow NĐ 30/2020/NĐ-CP Phụ lục I (see AppearanceKind). The appearance is
// drawn with Cairo and Pango into an RGBA image at 200 dpi, stored as a Flate-compressed image
// with a soft mask inside the widget's Form XObject, so that Vietnamese text looks the same in
// every viewer without embedding fonts.
//
// The reader is strict: whatever the standard does not allow is an error, never a guess. It
// reads classic cross-reference tables, cross-reference streams (PDF 1.5, /W /Index /Prev),
// hybrid files (/XRefStm), object streams, FlateDecode with PNG and TIFF predictors, linearized
// files and any number of incremental updates. Untrusted input is bounded: file size (1 GiB),
// nesting (64), values parsed (4 million), one stream decoded (64 MiB), all streams decoded
// (8 MiB plus 64 times the file's size, at most 256 MiB), cross-reference entries (4 million) and
// sections (1000), page and field trees (64 deep, 100 000 nodes). Encrypted files are refused.
//
// Errors (reason codes; every function below may return those of the reader):
//   kInvalidArgument "pdf.not_pdf": no %PDF- header at offset 0;
//   kInvalidArgument "pdf.truncated": no startxref near the end, or offsets past the end;
//   kInvalidArgument "pdf.xref_invalid": a damaged cross-reference table or stream, a /Prev loop;
//   kInvalidArgument "pdf.malformed": object syntax, a missing page box, a page tree loop…;
//   kInvalidArgument "pdf.bad_stream": a stream /Length that lies, corrupt Flate data;
//   kInvalidArgument "pdf.bad_text_string": a text string that is not valid UTF-16BE, UTF-8 or
//     PDFDocEncoding;
//   kInvalidArgument "pdf.unsupported": a filter other than FlateDecode where one must be read;
//   kPayloadTooLarge "pdf.limit_exceeded": one of the limits above;
//   kFailedPrecondition "pdf.encrypted": the file is encrypted.
//   kFailedPrecondition "pdf.certified_no_changes", "pdf.certified_no_new_fields" (signing
//     only): the document is certified (DocMDP) with P=1, or with P=2, which permits signing
//     only the signature fields already there.
//
// Thread safety: every function may be called from several threads at once.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace tinhso::pdf {

/// A rectangle in points, origin bottom left: in a page's default user space (before /Rotate),
/// except where said to be in displayed coordinates (DisplayedBox).
struct Rect {
  double x1 = 0;
  double y1 = 0;
  double x2 = 0;
  double y2 = 0;

  double width() const { return x2 - x1; }
  double height() const { return y2 - y1; }
};

/// One page: its boxes (normalised, the crop box clipped to the media box) and its rotation.
struct PageInfo {
  Rect media_box;
  Rect crop_box;
  int rotate = 0;  // clockwise when displayed: 0, 90, 180 or 270
};

/// A terminal form field.
struct FieldInfo {
  std::string name;        // fully qualified: "parent.child"
  std::string type;        // /FT: "Sig", "Tx", "Btn", "Ch"
  bool has_value = false;  // /V present (for "Sig": the field is signed)
  int page_index = -1;     // of its (first) widget; -1 when not on a page
  Rect rect;               // of that widget
};

/// What the reader found in a file.
struct DocumentInfo {
  std::string version;       // from the header: "1.7"
  bool xref_stream = false;  // the last cross-reference section is a stream
  int revisions = 0;         // the original file plus each incremental update
  std::vector<PageInfo> pages;
  std::vector<FieldInfo> fields;
};

/// Reads the structure of `pdf`. Errors: those of the reader (top of this file).
Result<DocumentInfo> Inspect(std::string_view pdf);

/// The page's visible area (its crop box) as the page is displayed, turned by /Rotate: the space
/// in which Appearance::rect, TopRightBox and SealBox speak. Points, X to the right and Y up as
/// seen on screen, the visible bottom-left corner at the crop box's lower-left coordinates (so
/// that on an unrotated page it is default user space itself). A page of 595 × 842 with /Rotate
/// 90 is displayed as [0 0 842 595].
Rect DisplayedBox(const PageInfo& page);

/// `box` (displayed coordinates) lies within the page's visible area, give or take half a point
/// of rounding: what PrepareSignature asks of a box.
bool FitsOnPage(const PageInfo& page, const Rect& box);

/// The box `width` × `height` points at the top right of the page's visible area, `margin` points
/// from its top and right edges, in displayed coordinates (DisplayedBox). Where NĐ 30/2020 puts
/// the organisation's signature on attachments and electronic copies.
Rect TopRightBox(const PageInfo& page, double width, double height, double margin = 28.35);

/// Where the organisation's seal goes over a signer's signature box (NĐ 30/2020 Phụ lục I: the
/// seal "trùm lên khoảng 1/3 chữ ký về phía bên trái"), in displayed coordinates: a square of side
/// `seal_size` whose right edge is one third into `signer_box` (or at its left edge when the seal
/// is narrower than that third, so that it still covers the signature's left part), vertically
/// centred on it, widened to the left by `text_width` for the organisation's name and the signing
/// time. The text lies left of the signer's box, the seal image at the right of the box returned
/// (AppearanceKind::kOrganisationSeal), so that no line of text is printed over either image.
Rect SealBox(const Rect& signer_box, double seal_size = 102.0, double text_width = 120.0);

enum class AppearanceKind {
  kInvisible,         // no widget area and no appearance (Rect [0 0 0 0])
  kSigner,            // the signer's signature image (PNG, transparent, blue), fitted to the box
  kOrganisationSeal,  // the red seal image (PNG, transparent) in a square at the right of the
                      // box, the organisation's name and the signing time to its left, never
                      // over the image (SealBox puts the text beside the signer's box too)
  kOrganisationText,  // no image: the organisation's name, số/ký hiệu and the signing time in
                      // 10 pt serif (attachments and electronic copies, top right of page 1)
};

struct Appearance {
  AppearanceKind kind = AppearanceKind::kInvisible;
  /// Where the signature shows on the signed page, in displayed coordinates (DisplayedBox); it
  /// must lie within the page's visible area. All zero ("no box"): in the file's prepared empty
  /// signature field (see SignatureRequest::field_name). Unused when invisible.
  Rect rect;
  std::string image_png;        // kSigner: the signature; kOrganisationSeal: the seal
  std::string organisation;     // kOrganisationSeal, kOrganisationText: "UBND tỉnh Thái Nguyên"
  std::string document_number;  // kOrganisationText: số/ký hiệu, "15/QĐ-UBND"
};

/// What to add. Text is UTF-8 (stored as PDF text strings: UTF-16BE with a BOM when not ASCII).
struct SignatureRequest {
  /// Which signature field to sign:
  ///  - the name of an unsigned signature field (/FT /Sig without /V, with a widget on a page, as
  ///    LibreOffice or Acrobat prepare them): that field is signed where it is; its widget keeps
  ///    its page and /Rect (page_index and appearance.rect are ignored) and gets the appearance;
  ///  - empty, with a visible appearance and no box (appearance.rect all zero): the file's one
  ///    unsigned signature field with an area on a page; when there is none or several,
  ///    "pdf.box_required";
  ///  - otherwise a new field of this name, unique among the fields (empty → "Signature1",
  ///    "Signature2"…), with its widget on page `page_index`.
  std::string field_name;
  int page_index = 0;             // the page of a new field's widget, from 0
  std::int64_t signing_time = 0;  // UTC seconds; /M as D:YYYYMMDDHHmmSS+07'00'
  std::string name;               // /Name: the signer (optional)
  std::string reason;             // /Reason (optional)
  std::string location;           // /Location (optional)
  std::string contact_info;       // /ContactInfo (optional)
  /// Bytes reserved for the CMS DER (written as twice as many hex digits). 2 KiB – 1 MiB.
  std::size_t contents_capacity = 16384;
  Appearance appearance;
};

/// A file with the placeholder in place, waiting for its CMS.
struct Prepared {
  std::string pdf;                           // the whole file, /Contents all zeros
  std::array<std::int64_t, 4> byte_range{};  // [0, a, b, c] as written in /ByteRange
  std::size_t contents_capacity = 0;         // DER bytes that fit in the placeholder
  std::string field_name;                    // the new field's fully qualified name

  /// The bytes the CMS signs: pdf[0, a) followed by pdf[b, b + c); empty if the fields above
  /// were changed into something inconsistent.
  std::string BytesToSign() const;
};

/// Appends the signature field (or the signed prepared field), widget, appearance and placeholder
/// to `pdf` as an incremental update.
///
/// A form whose /AcroForm says /NeedAppearances true asks viewers to redraw every widget, and
/// poppler (Evince, Okular, pdftoppm) then draws signature widgets blank. So the update drops
/// /NeedAppearances and gives each text and choice field widget that has no appearance stream
/// one showing its value (the fields that have one keep it: LibreOffice writes them). A file that
/// is already signed keeps /NeedAppearances: changing the form would count as a change after the
/// earlier signatures.
///
/// Errors: those of the reader; kFailedPrecondition "pdf.certified_no_changes" and
/// "pdf.certified_no_new_fields" (a certified document, P=1, or P=2 when a new field would be
/// added: either would break the certification); kInvalidArgument "pdf.invalid_request" (page out
/// of range, text not UTF-8, a bad rectangle, a PNG that cannot be read or is over 4096 × 4096,
/// capacity out of range, a field name with a '.', a prepared field without an area for a visible
/// signature); kInvalidArgument "pdf.rect_off_page" (the box is not entirely within the page's
/// visible area: outside it, or overhanging an edge; it is not moved or cut, since either would
/// change what it covers); kInvalidArgument "pdf.box_required" (no box, and not exactly one
/// prepared field); kAlreadyExists "pdf.field_exists" (the name is taken by a field that is not an
/// unsigned signature field); kInternal "pdf.render_failed" (Cairo or Pango failed, fonts missing).
Result<Prepared> PrepareSignature(std::string_view pdf, const SignatureRequest& request);

/// `prepared.pdf` with `cms_der` (hex-encoded, zero-padded) in the placeholder. Errors:
/// kInvalidArgument "pdf.signature_too_large" (more bytes than the capacity),
/// "pdf.invalid_request" (empty, or `prepared` is not a prepared file).
Result<std::string> EmbedSignature(const Prepared& prepared, std::string_view cms_der);

/// An object that an incremental update after a signature added, changed or removed.
struct ObjectChange {
  enum class Kind {
    kAdded,     // a new object number
    kAllowed,   // changed, but only as signing does: new signature fields and widgets in /Fields
                // and a page's /Annots, /SigFlags, /DSS, cross-reference streams. After a
                // certification signature only what its permission allows: with P=1 the /DSS
                // and document time-stamps; with P=2 also signing the fields already there
    kModified,  // any other change: the signed content may look different now. Strict on
                // purpose: filling in a form field, editing the existing /Info dictionary or
                // metadata stream, and adding non-signature annotations all count. (The trailer
                // is not an object: a new /Info object it points to is only kAdded.)
    kRemoved,   // freed in a later revision
  };
  std::uint32_t object_number = 0;
  Kind kind = Kind::kAdded;
  std::string reason;  // "page 1: /Contents changed"
};

/// One signature, as the file says; nothing cryptographic is checked here.
struct SignatureInfo {
  std::string field_name;
  std::string filter;      // "Adobe.PPKLite"
  std::string sub_filter;  // "ETSI.CAdES.detached", "adbe.pkcs7.detached"…
  std::vector<std::int64_t> byte_range;
  std::string contents;               // the CMS DER, its zero padding removed (by the DER length)
  std::string signing_time;           // /M as written: "D:20261123083000+07'00'"
  std::int64_t signing_time_utc = 0;  // /M in UTC seconds; 0 when absent or unreadable
  std::string name, reason, location, contact_info;
  /// A certification signature (ISO 32000-1 §12.8.2.2, a /Reference with the DocMDP transform):
  /// the changes it permits, 1 none, 2 filling in forms and signing existing fields, 3 also
  /// annotations (so new signature fields). 0 for an approval signature. `changes` are judged
  /// by it: what it does not permit is kModified.
  int certification = 0;
  int page_index = -1;
  Rect rect;
  /// /ByteRange is [0 a b c] with 0 < a < b, b + c within the file, and [a, b) exactly the
  /// /Contents hex string of this signature dictionary.
  bool byte_range_ok = false;
  std::string byte_range_problem;  // why not, in English
  int revision = 0;                // the revision holding the signature dictionary, from 1
  int revision_count = 0;          // revisions in the file
  std::int64_t revision_end = 0;   // where that revision ends (after its %%EOF)
  bool covers_revision = false;    // the byte range ends exactly at revision_end
  bool covers_whole_file = false;  // … and nothing follows it
  /// What later revisions changed, object by object (empty when none follow).
  std::vector<ObjectChange> changes;
  /// A later revision made a change of kind kModified or kRemoved, or could not be compared.
  bool modified_after_signing = false;
};

/// The signatures of every signed signature field (/FT /Sig with a /V), in field order.
/// Malformed signature values are reported in the SignatureInfo, not as errors. Errors: those of
/// the reader.
Result<std::vector<SignatureInfo>> ReadSignatures(std::string_view pdf);

/// The bytes `signature` covers, to hash: pdf[0, a) + pdf[b, b + c). Errors: kInvalidArgument
/// "pdf.invalid_request" when its byte range is not well formed for `pdf`.
Result<std::string> SignedBytes(std::string_view pdf, const SignatureInfo& signature);

}  // namespace tinhso::pdf
