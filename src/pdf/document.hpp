// Internal to src/pdf: a parsed PDF file. Reads the cross-reference sections (classic tables,
// cross-reference streams, hybrid files with /XRefStm) along the /Prev chain, then resolves
// objects lazily (directly or from object streams), caching each one. Finds the catalog, the
// page tree with its inherited attributes, the interactive form's fields, and the revisions
// (incremental updates) of the file.
//
// Not thread-safe (the cache fills as objects are read). The Document refers to the caller's
// bytes, which must outlive it.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/result.hpp"
#include "pdf/object.hpp"

namespace tinhso::pdf::internal {

struct XrefEntry {
  enum class Kind : std::uint8_t { kFree, kInFile, kCompressed };
  Kind kind = Kind::kFree;
  std::uint64_t offset = 0;  // kInFile: byte offset; kCompressed: the object stream's number
  std::uint32_t gen = 0;     // kInFile: generation; kCompressed: index inside the stream
  friend bool operator==(const XrefEntry&, const XrefEntry&) = default;
};

struct XrefSection {
  std::size_t offset = 0;  // where the section starts: a startxref or /Prev value
  bool is_stream = false;  // a cross-reference stream (else a classic table)
  Dict trailer;            // the trailer dictionary, or the xref stream's dictionary
  std::size_t end = 0;     // just after the trailer dictionary, or after the stream's endobj
  std::optional<std::size_t> xref_stm;  // hybrid file: the /XRefStm offset
  std::optional<std::size_t> prev;
};

// Each box as [x1 y1 x2 y2], normalised so that x1 <= x2 and y1 <= y2.
using Box = std::array<double, 4>;

struct PageRecord {
  Ref ref;
  const Object* object = nullptr;  // the page dictionary (cached by the Document)
  Box media_box{};
  Box crop_box{};
  int rotate = 0;  // 0, 90, 180 or 270
};

struct FieldRecord {
  Ref ref;               // the terminal field's object
  std::string name;      // fully qualified ("parent.child"), UTF-8
  std::string type;      // /FT, inherited: "Sig", "Tx", "Btn", "Ch" or empty
  const Object* object;  // the field dictionary
};

class Document {
 public:
  // Reads the header and every cross-reference section. Errors: pdf.not_pdf, pdf.truncated,
  // pdf.xref_invalid, pdf.malformed, pdf.bad_stream, pdf.limit_exceeded, pdf.unsupported.
  static Result<std::unique_ptr<Document>> Open(std::string_view data);

  std::string_view data() const { return data_; }
  const std::string& version() const { return version_; }
  // Newest first: sections()[0] is the one the final startxref points to.
  const std::vector<XrefSection>& sections() const { return sections_; }
  // The newest trailer's value for `key`, falling back to older trailers.
  const Object* TrailerValue(std::string_view key) const;
  const std::unordered_map<std::uint32_t, XrefEntry>& entries() const { return entries_; }
  const XrefEntry* Entry(std::uint32_t num) const;
  // The first object number no section uses (at least every trailer's /Size) and no
  // reference resolved so far names.
  std::uint32_t next_object_number() const { return next_object_number_; }
  // The offsets just after each revision's %%EOF (and its end-of-line), ascending. A revision is
  // the original file or one incremental update.
  const std::vector<std::size_t>& revision_ends() const { return revision_ends_; }
  bool encrypted() const { return TrailerValue("Encrypt") != nullptr; }

  // The object `ref` names; a null object for free or missing entries (§7.3.10).
  Result<const Object*> Get(Ref ref);
  // `object` itself, or the object it refers to.
  Result<const Object*> Resolve(const Object& object);
  // A stream's data with its filters undone (FlateDecode and predictors only).
  Result<std::string> Decode(const Object& stream);
  // The generation an object is stored with (0 for objects in object streams).
  std::uint32_t GenerationOf(std::uint32_t num) const;

  Result<Ref> RootRef() const;
  Result<const Dict*> Catalog();
  Result<std::vector<PageRecord>> Pages();
  // The terminal fields of /AcroForm /Fields, in tree order; empty without a form.
  Result<std::vector<FieldRecord>> Fields();
  // The DocMDP permission (ISO 32000-1 §12.8.2.2, Table 254) of the signature dictionary
  // `signature` when it certifies the document (a /Reference with /TransformMethod /DocMDP):
  // 1 no changes, 2 filling in forms and signing, 3 also annotations; /P absent means 2, any
  // other value is taken as 1. 0 for an approval signature.
  Result<int> DocMdpPermission(const Dict& signature);
  // The document's certification: the strictest permission of /Perms /DocMDP in the catalog and
  // of the signed signature fields; 0 when the document is not certified.
  Result<int> CertificationPermission();
  // An annotation's /Rect as a normalised box (zero box when absent or malformed).
  Result<Box> RectOf(const Dict& annotation);
  // The index of the page whose /Annots holds `annotation` (whose dictionary is `dict`), else of
  // the page its /P names; -1 when neither.
  Result<int> PageOf(Ref annotation, const Dict& dict, const std::vector<PageRecord>& pages);
  // Where a field's (first) widget is: the page index (-1 when on no page) and its /Rect; the
  // widget's object in `*widget` when given (the field's own when they are merged).
  Result<std::pair<int, Box>> Placement(const FieldRecord& field,
                                        const std::vector<PageRecord>& pages,
                                        Ref* widget_out = nullptr);

 private:
  explicit Document(std::string_view data) : data_(data) {}
  // All streams together may decode to this much: kDecodedBytesBase plus
  // kMaxInflationPerFileByte per byte of the file, at most kMaxDecodedTotalBytes.
  std::size_t DecodedLimit() const {
    return std::min(kMaxDecodedTotalBytes,
                    kDecodedBytesBase + kMaxInflationPerFileByte * data_.size());
  }
  Result<void> LoadSections();
  Result<XrefSection> ReadSection(std::size_t offset,
                                  std::vector<std::pair<std::uint32_t, XrefEntry>>* entries);
  Result<void> ReadTable(std::size_t offset, XrefSection* section,
                         std::vector<std::pair<std::uint32_t, XrefEntry>>* entries);
  Result<void> ReadXrefStream(std::size_t offset, XrefSection* section,
                              std::vector<std::pair<std::uint32_t, XrefEntry>>* entries);
  void FindRevisionEnds();
  Result<const Object*> Load(std::uint32_t num, const XrefEntry& entry);
  Result<Object> LoadCompressed(std::uint32_t num, const XrefEntry& entry);
  Result<Box> ReadBox(const Object& object);

  struct ObjectStream {
    std::string data;
    std::vector<std::pair<std::uint32_t, std::size_t>> index;  // object number, offset in data
  };

  std::string_view data_;
  std::string version_;
  std::vector<XrefSection> sections_;
  std::unordered_map<std::uint32_t, XrefEntry> entries_;
  std::uint32_t next_object_number_ = 1;
  std::vector<std::size_t> revision_ends_;
  std::unordered_map<std::uint32_t, std::unique_ptr<Object>> cache_;
  std::unordered_map<std::uint32_t, std::unique_ptr<ObjectStream>> object_streams_;
  std::unordered_set<std::uint32_t> loading_;
  std::optional<std::unordered_map<std::uint32_t, int>> annotation_pages_;
  int nesting_ = 0;
  std::size_t parsed_items_ = 0;
  std::size_t decoded_bytes_ = 0;
  std::size_t xref_entries_ = 0;
  Object null_;
};

}  // namespace tinhso::pdf::internal
