#include "pdf/document.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "pdf/errors.hpp"
#include "pdf/filters.hpp"
#include "pdf/parser.hpp"
#include "pdf/text.hpp"

namespace tinhso::pdf::internal {
namespace {

constexpr std::size_t kStartxrefWindow = 4096;  // startxref must be this near the end

std::string Num(std::uint64_t value) { return std::to_string(value); }

// Counts one level of object-resolution nesting for the lifetime of the guard.
class NestingGuard {
 public:
  explicit NestingGuard(int* nesting) : nesting_(nesting) { ++*nesting_; }
  ~NestingGuard() { --*nesting_; }
  NestingGuard(const NestingGuard&) = delete;
  NestingGuard& operator=(const NestingGuard&) = delete;

 private:
  int* nesting_;
};

std::optional<std::int64_t> IntValue(const Dict& dict, std::string_view key) {
  const Object* value = Find(dict, key);
  if (value == nullptr || value->AsInt() == nullptr) {
    return std::nullopt;
  }
  return *value->AsInt();
}

// The end of "%%EOF" at `pos` plus one end-of-line, if present.
std::size_t AfterEof(std::string_view data, std::size_t pos) {
  std::size_t end = pos + 5;
  if (end < data.size() && data[end] == '\r') {
    ++end;
  }
  if (end < data.size() && data[end] == '\n') {
    ++end;
  }
  return end;
}

}  // namespace

Result<std::unique_ptr<Document>> Document::Open(std::string_view data) {
  if (data.size() > kMaxFileBytes) {
    return LimitExceeded("file larger than " + Num(kMaxFileBytes) + " bytes");
  }
  if (data.substr(0, 5) != "%PDF-") {
    return NotPdf("no %PDF- header at the start of the file");
  }
  std::unique_ptr<Document> document(new Document(data));
  std::size_t v = 5;
  while (v < data.size() && v < 16 && ((data[v] >= '0' && data[v] <= '9') || data[v] == '.')) {
    ++v;
  }
  document->version_ = std::string(data.substr(5, v - 5));
  if (document->version_.empty()) {
    return NotPdf("no version after %PDF-");
  }
  TINHSO_RETURN_IF_ERROR(document->LoadSections());
  document->FindRevisionEnds();
  return document;
}

Result<void> Document::LoadSections() {
  const std::size_t window_start =
      data_.size() > kStartxrefWindow ? data_.size() - kStartxrefWindow : 0;
  const std::size_t found = data_.rfind("startxref");
  if (found == std::string_view::npos || found < window_start) {
    return Truncated("no startxref near the end of the file");
  }
  Parser tail(data_, found + 9, &parsed_items_);
  auto start = tail.ReadUnsigned();
  if (!start.ok()) {
    return Truncated("startxref is not followed by an offset");
  }
  std::optional<std::size_t> next = static_cast<std::size_t>(*start);
  std::unordered_set<std::size_t> visited;
  std::vector<std::vector<std::pair<std::uint32_t, XrefEntry>>> per_section;
  while (next) {
    const std::size_t offset = *next;
    if (!visited.insert(offset).second) {
      return XrefInvalid("the /Prev chain loops back to offset " + Num(offset));
    }
    if (static_cast<int>(sections_.size()) >= kMaxXrefSections) {
      return LimitExceeded("more than " + Num(kMaxXrefSections) + " cross-reference sections");
    }
    std::vector<std::pair<std::uint32_t, XrefEntry>> entries;
    TINHSO_ASSIGN_OR_RETURN(XrefSection section, ReadSection(offset, &entries));
    next = section.prev;
    sections_.push_back(std::move(section));
    per_section.push_back(std::move(entries));
  }
  // Newest first: the first section that mentions an object decides its entry.
  for (const auto& entries : per_section) {
    for (const auto& [num, entry] : entries) {
      entries_.try_emplace(num, entry);
      next_object_number_ = std::max(next_object_number_, num + 1);
    }
  }
  entries_[0] = XrefEntry{};  // object 0 is always free
  for (const XrefSection& section : sections_) {
    if (auto size = IntValue(section.trailer, "Size")) {
      if (*size < 0 || *size > static_cast<std::int64_t>(kMaxObjectNumber) + 1) {
        return XrefInvalid("trailer /Size out of range");
      }
      next_object_number_ = std::max(next_object_number_, static_cast<std::uint32_t>(*size));
    }
  }
  if (TrailerValue("Root") == nullptr || TrailerValue("Root")->AsRef() == nullptr) {
    return XrefInvalid("the trailer has no /Root reference");
  }
  return Ok();
}

Result<XrefSection> Document::ReadSection(
    std::size_t offset, std::vector<std::pair<std::uint32_t, XrefEntry>>* entries) {
  if (offset >= data_.size()) {
    return Truncated("cross-reference offset " + Num(offset) + " is past the end of the file");
  }
  XrefSection section;
  section.offset = offset;
  Parser parser(data_, offset, &parsed_items_);
  if (parser.AcceptKeyword("xref")) {
    TINHSO_RETURN_IF_ERROR(ReadTable(offset, &section, entries));
    if (section.xref_stm) {
      // Hybrid file (§7.5.8.4): the stream lists the objects kept in object streams. Entries
      // of the table win, except its free entries, which hide nothing from newer readers.
      XrefSection stream_section;
      std::vector<std::pair<std::uint32_t, XrefEntry>> stream_entries;
      TINHSO_RETURN_IF_ERROR(ReadXrefStream(*section.xref_stm, &stream_section, &stream_entries));
      std::unordered_map<std::uint32_t, std::size_t> position;
      for (std::size_t i = 0; i < entries->size(); ++i) {
        position[(*entries)[i].first] = i;
      }
      for (const auto& [num, entry] : stream_entries) {
        auto it = position.find(num);
        if (it == position.end()) {
          entries->emplace_back(num, entry);
        } else if ((*entries)[it->second].second.kind == XrefEntry::Kind::kFree &&
                   entry.kind != XrefEntry::Kind::kFree) {
          (*entries)[it->second].second = entry;
        }
      }
    }
  } else {
    TINHSO_RETURN_IF_ERROR(ReadXrefStream(offset, &section, entries));
  }
  if (const Object* prev = Find(section.trailer, "Prev")) {
    if (prev->AsInt() == nullptr || *prev->AsInt() < 0) {
      return XrefInvalid("/Prev is not an offset");
    }
    section.prev = static_cast<std::size_t>(*prev->AsInt());
  }
  return section;
}

Result<void> Document::ReadTable(std::size_t offset, XrefSection* section,
                                 std::vector<std::pair<std::uint32_t, XrefEntry>>* entries) {
  Parser parser(data_, offset, &parsed_items_);
  parser.AcceptKeyword("xref");
  for (;;) {
    parser.SkipSpace();
    if (parser.AtEnd()) {
      return Truncated("cross-reference table without a trailer");
    }
    if (parser.AcceptKeyword("trailer")) {
      break;
    }
    auto first = parser.ReadUnsigned();
    auto count = first.ok() ? parser.ReadUnsigned() : first;
    if (!first.ok() || !count.ok()) {
      return XrefInvalid("bad subsection header in the cross-reference table at offset " +
                         Num(parser.pos()));
    }
    if (*first + *count > std::uint64_t{kMaxObjectNumber} + 1) {
      return XrefInvalid("cross-reference subsection beyond the largest object number");
    }
    // Each entry takes 20 bytes; a count the file cannot hold is a lie.
    if (*count > (data_.size() - parser.pos()) / 18 + 1) {
      return Truncated("cross-reference subsection longer than the rest of the file");
    }
    xref_entries_ += *count;
    if (xref_entries_ > kMaxXrefEntries) {
      return LimitExceeded("more than " + Num(kMaxXrefEntries) + " cross-reference entries");
    }
    for (std::uint64_t i = 0; i < *count; ++i) {
      auto entry_offset = parser.ReadUnsigned();
      auto gen = entry_offset.ok() ? parser.ReadUnsigned() : entry_offset;
      const std::string_view kind = gen.ok() ? parser.ReadKeyword() : std::string_view();
      const auto num = static_cast<std::uint32_t>(*first + i);
      // 65535 is the largest generation (§7.5.4). The head of the free list, object 0, is
      // written 65536 by Pillow and by `mutool clean` (which adds one to what it read); nothing
      // ever reads that number, and every other reader accepts it.
      const std::uint64_t max_gen = num == 0 && kind == "f" ? 65536 : 65535;
      if (!gen.ok() || (kind != "n" && kind != "f") || *gen > max_gen) {
        return XrefInvalid("bad cross-reference entry at offset " + Num(parser.pos()));
      }
      XrefEntry entry;
      if (kind == "n" && *entry_offset != 0) {
        entry =
            XrefEntry{XrefEntry::Kind::kInFile, *entry_offset, static_cast<std::uint32_t>(*gen)};
      }
      entries->emplace_back(num, entry);
    }
  }
  TINHSO_ASSIGN_OR_RETURN(Object trailer, parser.ParseObject());
  if (trailer.type() != Object::Type::kDict) {
    return XrefInvalid("the trailer is not a dictionary");
  }
  section->is_stream = false;
  section->trailer = std::move(*trailer.AsDict());
  section->end = parser.pos();
  if (const Object* stm = Find(section->trailer, "XRefStm")) {
    if (stm->AsInt() == nullptr || *stm->AsInt() < 0) {
      return XrefInvalid("/XRefStm is not an offset");
    }
    section->xref_stm = static_cast<std::size_t>(*stm->AsInt());
  }
  return Ok();
}

Result<void> Document::ReadXrefStream(std::size_t offset, XrefSection* section,
                                      std::vector<std::pair<std::uint32_t, XrefEntry>>* entries) {
  if (offset >= data_.size()) {
    return Truncated("cross-reference stream offset past the end of the file");
  }
  Parser parser(data_, offset, &parsed_items_);
  Ref ref;
  auto parsed = parser.ParseIndirect(&ref, nullptr);  // /Length must be direct here
  if (!parsed.ok()) {
    if (parsed.error().reason == "pdf.malformed" || parsed.error().reason == "pdf.xref_invalid") {
      return XrefInvalid("no cross-reference table or stream at offset " + Num(offset) + ": " +
                         parsed.error().detail);
    }
    return std::move(parsed).error();
  }
  const Object& object = *parsed;
  const Stream* stream = object.AsStream();
  if (stream == nullptr || !Find(stream->dict, "Type") ||
      !Find(stream->dict, "Type")->IsName("XRef")) {
    return XrefInvalid("the object at offset " + Num(offset) + " is not a cross-reference stream");
  }
  TINHSO_ASSIGN_OR_RETURN(const std::string decoded, Decode(object));
  const Object* w = Find(stream->dict, "W");
  const Array* widths = w != nullptr ? w->AsArray() : nullptr;
  if (widths == nullptr || widths->size() != 3) {
    return XrefInvalid("cross-reference stream without a valid /W");
  }
  std::array<std::size_t, 3> width{};
  std::size_t row = 0;
  for (int i = 0; i < 3; ++i) {
    const std::int64_t* value = (*widths)[static_cast<std::size_t>(i)].AsInt();
    if (value == nullptr || *value < 0 || *value > 8) {
      return XrefInvalid("cross-reference stream /W values must be 0–8");
    }
    width[static_cast<std::size_t>(i)] = static_cast<std::size_t>(*value);
    row += width[static_cast<std::size_t>(i)];
  }
  if (row == 0) {
    return XrefInvalid("cross-reference stream /W is [0 0 0]");
  }
  const auto size = IntValue(stream->dict, "Size");
  if (!size || *size < 0 || *size > std::int64_t{kMaxObjectNumber} + 1) {
    return XrefInvalid("cross-reference stream without a valid /Size");
  }
  std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
  if (const Object* index = Find(stream->dict, "Index")) {
    const Array* items = index->AsArray();
    if (items == nullptr || items->size() % 2 != 0) {
      return XrefInvalid("cross-reference stream /Index is not pairs of integers");
    }
    for (std::size_t i = 0; i < items->size(); i += 2) {
      const std::int64_t* first = (*items)[i].AsInt();
      const std::int64_t* count = (*items)[i + 1].AsInt();
      if (first == nullptr || count == nullptr || *first < 0 || *count < 0 ||
          *first + *count > std::int64_t{kMaxObjectNumber} + 1) {
        return XrefInvalid("cross-reference stream /Index out of range");
      }
      ranges.emplace_back(*first, *count);
    }
  } else {
    ranges.emplace_back(0, *size);
  }
  std::size_t pos = 0;
  auto field = [&](std::size_t n, std::uint64_t fallback) {
    if (n == 0) {
      return fallback;
    }
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < n; ++i) {
      value = (value << 8) | static_cast<unsigned char>(decoded[pos++]);
    }
    return value;
  };
  for (const auto& [first, count] : ranges) {
    xref_entries_ += count;
    if (xref_entries_ > kMaxXrefEntries) {
      return LimitExceeded("more than " + Num(kMaxXrefEntries) + " cross-reference entries");
    }
    if (count > (decoded.size() - pos) / row) {
      return XrefInvalid("cross-reference stream shorter than its /Index says");
    }
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::uint64_t type = field(width[0], 1);
      const std::uint64_t second = field(width[1], 0);
      const std::uint64_t third = field(width[2], 0);
      XrefEntry entry;
      if (type == 1 && second != 0) {
        if (third > 65535) {
          return XrefInvalid("generation number out of range in a cross-reference stream");
        }
        entry = XrefEntry{XrefEntry::Kind::kInFile, second, static_cast<std::uint32_t>(third)};
      } else if (type == 2) {
        if (second > kMaxObjectNumber || third > kMaxContainerItems) {
          return XrefInvalid("compressed object entry out of range");
        }
        entry = XrefEntry{XrefEntry::Kind::kCompressed, second, static_cast<std::uint32_t>(third)};
      }
      // Type 0 and unknown types are free entries (§7.5.8.3: "null reference").
      entries->emplace_back(static_cast<std::uint32_t>(first + i), entry);
    }
  }
  section->is_stream = true;
  section->trailer = stream->dict;
  section->end = object.end;
  return Ok();
}

void Document::FindRevisionEnds() {
  std::unordered_map<std::size_t, const XrefSection*> by_offset;
  for (const XrefSection& section : sections_) {
    by_offset[section.offset] = &section;
  }
  for (const XrefSection& section : sections_) {
    // "startxref" follows the trailer (or the stream's endobj) directly; look only nearby, so
    // that many sections cost little however large the file.
    const std::size_t startxref =
        data_.substr(0, section.end + 1024).find("startxref", section.end);
    if (startxref == std::string_view::npos) {
      continue;
    }
    Parser parser(data_, startxref + 9, &parsed_items_);
    auto value = parser.ReadUnsigned();
    if (!value.ok()) {
      continue;
    }
    parser.SkipSpace();  // also skips the %%EOF comment; look for it by hand
    std::size_t eof = startxref + 9;
    while (eof < data_.size() &&
           (IsPdfWhitespace(data_[eof]) || (data_[eof] >= '0' && data_[eof] <= '9'))) {
      ++eof;
    }
    if (data_.substr(eof, 5) != "%%EOF") {
      continue;
    }
    const std::size_t end = AfterEof(data_, eof);
    // A real revision end: its startxref names a section of the chain, and every section
    // reachable from there lies before it (this rejects the "startxref 0" after the first-page
    // trailer of a linearized file).
    bool valid = true;
    std::optional<std::size_t> next = static_cast<std::size_t>(*value);
    int steps = 0;
    while (next && valid) {
      auto it = by_offset.find(*next);
      if (it == by_offset.end() || it->second->end > end || ++steps > kMaxXrefSections) {
        valid = false;
        break;
      }
      if (it->second->xref_stm && *it->second->xref_stm >= end) {
        valid = false;
      }
      next = it->second->prev;
    }
    if (valid) {
      revision_ends_.push_back(end);
    }
  }
  std::sort(revision_ends_.begin(), revision_ends_.end());
  revision_ends_.erase(std::unique(revision_ends_.begin(), revision_ends_.end()),
                       revision_ends_.end());
}

const Object* Document::TrailerValue(std::string_view key) const {
  for (const XrefSection& section : sections_) {
    if (const Object* value = Find(section.trailer, key)) {
      return value;
    }
  }
  return nullptr;
}

const XrefEntry* Document::Entry(std::uint32_t num) const {
  auto it = entries_.find(num);
  return it == entries_.end() ? nullptr : &it->second;
}

std::uint32_t Document::GenerationOf(std::uint32_t num) const {
  const XrefEntry* entry = Entry(num);
  return entry != nullptr && entry->kind == XrefEntry::Kind::kInFile ? entry->gen : 0;
}

Result<const Object*> Document::Get(Ref ref) {
  const XrefEntry* entry = Entry(ref.num);
  if (entry == nullptr && ref.num <= kMaxObjectNumber) {
    // A reference to an object no section defines reads as null (§7.3.10). An update must not
    // give that number a meaning: a new object numbered so would turn up wherever it is named
    // (in a page tree, as a page).
    next_object_number_ = std::max(next_object_number_, ref.num + 1);
  }
  if (entry == nullptr || entry->kind == XrefEntry::Kind::kFree) {
    return &null_;
  }
  const std::uint32_t gen = entry->kind == XrefEntry::Kind::kInFile ? entry->gen : 0;
  if (gen != ref.gen) {
    return &null_;
  }
  if (auto it = cache_.find(ref.num); it != cache_.end()) {
    return it->second.get();
  }
  return Load(ref.num, *entry);
}

Result<const Object*> Document::Load(std::uint32_t num, const XrefEntry& entry) {
  if (nesting_ >= kMaxResolveNesting) {
    return LimitExceeded("objects nested through /Length and object streams more than " +
                         Num(kMaxResolveNesting) + " deep");
  }
  if (!loading_.insert(num).second) {
    return Malformed("object " + Num(num) + " depends on itself (/Length or object stream loop)");
  }
  NestingGuard guard(&nesting_);
  Result<Object> loaded = Object();
  if (entry.kind == XrefEntry::Kind::kInFile) {
    if (entry.offset >= data_.size()) {
      loading_.erase(num);
      return XrefInvalid("object " + Num(num) + " has an offset past the end of the file");
    }
    Parser parser(data_, static_cast<std::size_t>(entry.offset), &parsed_items_);
    Ref found;
    loaded = parser.ParseIndirect(&found, [this](Ref length_ref) -> Result<std::int64_t> {
      TINHSO_ASSIGN_OR_RETURN(const Object* length, Get(length_ref));
      if (length->AsInt() == nullptr) {
        return BadStream("indirect /Length is not an integer");
      }
      return *length->AsInt();
    });
    if (loaded.ok() && (found.num != num || found.gen != entry.gen)) {
      loaded = XrefInvalid("the cross-reference entry for object " + Num(num) +
                           " points to object " + Num(found.num));
    }
  } else {
    loaded = LoadCompressed(num, entry);
  }
  loading_.erase(num);
  if (!loaded.ok()) {
    return std::move(loaded).error();
  }
  auto stored = std::make_unique<Object>(std::move(loaded).value());
  const Object* pointer = stored.get();
  cache_[num] = std::move(stored);
  return pointer;
}

Result<Object> Document::LoadCompressed(std::uint32_t num, const XrefEntry& entry) {
  const auto stream_num = static_cast<std::uint32_t>(entry.offset);
  auto it = object_streams_.find(stream_num);
  if (it == object_streams_.end()) {
    const XrefEntry* stream_entry = Entry(stream_num);
    if (stream_entry == nullptr || stream_entry->kind != XrefEntry::Kind::kInFile) {
      return XrefInvalid("object " + Num(num) + " is in object stream " + Num(stream_num) +
                         ", which is not an object in the file");
    }
    TINHSO_ASSIGN_OR_RETURN(const Object* stream_object, Get(Ref{stream_num, stream_entry->gen}));
    const Stream* stream = stream_object->AsStream();
    if (stream == nullptr || !Find(stream->dict, "Type") ||
        !Find(stream->dict, "Type")->IsName("ObjStm")) {
      return Malformed("object " + Num(stream_num) + " is not an object stream");
    }
    const auto n = IntValue(stream->dict, "N");
    const auto first = IntValue(stream->dict, "First");
    if (!n || !first || *n < 0 || *first < 0 ||
        static_cast<std::uint64_t>(*n) > kMaxContainerItems) {
      return Malformed("object stream " + Num(stream_num) + " without valid /N and /First");
    }
    auto object_stream = std::make_unique<ObjectStream>();
    TINHSO_ASSIGN_OR_RETURN(object_stream->data, Decode(*stream_object));
    if (static_cast<std::uint64_t>(*first) > object_stream->data.size()) {
      return Malformed("object stream /First past the end of its data");
    }
    const std::string_view header =
        std::string_view(object_stream->data).substr(0, static_cast<std::size_t>(*first));
    Parser parser(header, 0, &parsed_items_);
    for (std::int64_t i = 0; i < *n; ++i) {
      auto object_num = parser.ReadUnsigned();
      auto offset = object_num.ok() ? parser.ReadUnsigned() : object_num;
      if (!offset.ok() || *object_num > kMaxObjectNumber ||
          *offset > object_stream->data.size() - static_cast<std::size_t>(*first)) {
        return Malformed("bad header in object stream " + Num(stream_num));
      }
      object_stream->index.emplace_back(static_cast<std::uint32_t>(*object_num),
                                        static_cast<std::size_t>(*first + *offset));
    }
    it = object_streams_.emplace(stream_num, std::move(object_stream)).first;
  }
  const ObjectStream& object_stream = *it->second;
  if (entry.gen >= object_stream.index.size() || object_stream.index[entry.gen].first != num) {
    return XrefInvalid("object " + Num(num) + " is not at index " + Num(entry.gen) +
                       " of object stream " + Num(stream_num));
  }
  Parser parser(object_stream.data, object_stream.index[entry.gen].second, &parsed_items_);
  TINHSO_ASSIGN_OR_RETURN(Object object, parser.ParseObject());
  if (parser.AcceptKeyword("stream")) {
    return Malformed("a stream inside object stream " + Num(stream_num));
  }
  return object;
}

Result<const Object*> Document::Resolve(const Object& object) {
  if (const Ref* ref = object.AsRef()) {
    return Get(*ref);
  }
  return &object;
}

Result<std::string> Document::Decode(const Object& object) {
  const Stream* stream = object.AsStream();
  if (stream == nullptr) {
    return InternalError("pdf: Decode called on a non-stream");
  }
  std::vector<std::string> filters;
  std::vector<const Dict*> params;
  const Object* filter = Find(stream->dict, "Filter");
  const Object* parms = Find(stream->dict, "DecodeParms");
  if (filter != nullptr && filter->AsName() != nullptr) {
    filters.push_back(filter->AsName()->value);
    params.push_back(parms != nullptr ? parms->AsDict() : nullptr);
  } else if (filter != nullptr && filter->AsArray() != nullptr) {
    const Array& names = *filter->AsArray();
    const Array* parms_array = parms != nullptr ? parms->AsArray() : nullptr;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i].AsName() == nullptr) {
        return BadStream("/Filter array holds something other than names");
      }
      filters.push_back(names[i].AsName()->value);
      params.push_back(
          parms_array != nullptr && i < parms_array->size() ? (*parms_array)[i].AsDict() : nullptr);
    }
  } else if (filter != nullptr && !filter->IsNull()) {
    return BadStream("/Filter is neither a name nor an array");
  }
  std::string data(stream->raw);
  for (std::size_t i = 0; i < filters.size(); ++i) {
    if (filters[i] != "FlateDecode") {
      return Unsupported("stream filter /" + filters[i]);
    }
    const std::size_t budget =
        std::min(kMaxDecodedStreamBytes, DecodedLimit() - std::min(decoded_bytes_, DecodedLimit()));
    TINHSO_ASSIGN_OR_RETURN(data, Inflate(data, budget));
    TINHSO_ASSIGN_OR_RETURN(data, Unpredict(std::move(data), params[i]));
  }
  decoded_bytes_ += data.size();
  if (decoded_bytes_ > DecodedLimit()) {
    return LimitExceeded("the document's streams decode to more than " + Num(DecodedLimit()) +
                         " bytes");
  }
  return data;
}

Result<Ref> Document::RootRef() const {
  const Object* root = TrailerValue("Root");
  if (root == nullptr || root->AsRef() == nullptr) {
    return XrefInvalid("the trailer has no /Root reference");
  }
  return *root->AsRef();
}

Result<const Dict*> Document::Catalog() {
  TINHSO_ASSIGN_OR_RETURN(const Ref root, RootRef());
  TINHSO_ASSIGN_OR_RETURN(const Object* catalog, Get(root));
  if (catalog->type() != Object::Type::kDict) {
    return Malformed("the document catalog is not a dictionary");
  }
  return catalog->AsDict();
}

Result<Box> Document::ReadBox(const Object& object) {
  TINHSO_ASSIGN_OR_RETURN(const Object* resolved, Resolve(object));
  const Array* items = resolved->AsArray();
  if (items == nullptr || items->size() != 4) {
    return Malformed("a page box is not an array of four numbers");
  }
  Box box{};
  for (std::size_t i = 0; i < 4; ++i) {
    TINHSO_ASSIGN_OR_RETURN(const Object* item, Resolve((*items)[i]));
    if (!item->ToNumber(&box[i]) || !std::isfinite(box[i]) || std::abs(box[i]) > 1e7) {
      return Malformed("a page box is not an array of four numbers");
    }
  }
  return Box{std::min(box[0], box[2]), std::min(box[1], box[3]), std::max(box[0], box[2]),
             std::max(box[1], box[3])};
}

Result<Box> Document::RectOf(const Dict& annotation) {
  const Object* rect = Find(annotation, "Rect");
  if (rect == nullptr) {
    return Box{};
  }
  auto box = ReadBox(*rect);
  if (!box.ok()) {
    return Box{};
  }
  return *box;
}

Result<std::vector<PageRecord>> Document::Pages() {
  TINHSO_ASSIGN_OR_RETURN(const Dict* catalog, Catalog());
  const Object* pages = Find(*catalog, "Pages");
  if (pages == nullptr || pages->AsRef() == nullptr) {
    return Malformed("the catalog has no /Pages reference");
  }
  struct Inherited {
    const Object* media_box = nullptr;
    const Object* crop_box = nullptr;
    const Object* rotate = nullptr;
  };
  struct Pending {
    Ref ref;
    Inherited inherited;
    int depth;
  };
  std::vector<PageRecord> result;
  std::vector<Pending> stack{{*pages->AsRef(), {}, 0}};
  std::unordered_set<std::uint32_t> visited;
  while (!stack.empty()) {
    Pending node = stack.back();
    stack.pop_back();
    if (node.depth > kMaxTreeDepth) {
      return LimitExceeded("page tree deeper than " + Num(kMaxTreeDepth));
    }
    if (!visited.insert(node.ref.num).second) {
      return Malformed("the page tree contains object " + Num(node.ref.num) + " twice (a loop)");
    }
    TINHSO_ASSIGN_OR_RETURN(const Object* object, Get(node.ref));
    if (object->type() != Object::Type::kDict) {
      return Malformed("page tree node " + Num(node.ref.num) + " is not a dictionary");
    }
    const Dict& dict = *object->AsDict();
    Inherited inherited = node.inherited;
    if (const Object* value = Find(dict, "MediaBox")) {
      inherited.media_box = value;
    }
    if (const Object* value = Find(dict, "CropBox")) {
      inherited.crop_box = value;
    }
    if (const Object* value = Find(dict, "Rotate")) {
      inherited.rotate = value;
    }
    const Object* type = Find(dict, "Type");
    const Object* kids = Find(dict, "Kids");
    const bool is_node = type != nullptr ? type->IsName("Pages") : kids != nullptr;
    if (is_node) {
      if (kids == nullptr) {
        return Malformed("page tree node " + Num(node.ref.num) + " without /Kids");
      }
      TINHSO_ASSIGN_OR_RETURN(const Object* kids_object, Resolve(*kids));
      const Array* items = kids_object->AsArray();
      if (items == nullptr) {
        return Malformed("/Kids of page tree node " + Num(node.ref.num) + " is not an array");
      }
      for (auto kid = items->rbegin(); kid != items->rend(); ++kid) {
        if (kid->AsRef() == nullptr) {
          return Malformed("/Kids holds something other than references");
        }
        stack.push_back({*kid->AsRef(), inherited, node.depth + 1});
      }
      continue;
    }
    if (type != nullptr && !type->IsName("Page")) {
      return Malformed("object " + Num(node.ref.num) + " in the page tree is not a page");
    }
    if (result.size() >= kMaxPages) {
      return LimitExceeded("more than " + Num(kMaxPages) + " pages");
    }
    PageRecord page;
    page.ref = node.ref;
    page.object = object;
    if (inherited.media_box == nullptr) {
      return Malformed("page object " + Num(node.ref.num) + " has no /MediaBox");
    }
    TINHSO_ASSIGN_OR_RETURN(page.media_box, ReadBox(*inherited.media_box));
    page.crop_box = page.media_box;
    if (inherited.crop_box != nullptr) {
      TINHSO_ASSIGN_OR_RETURN(const Box crop, ReadBox(*inherited.crop_box));
      // §14.11.2: the crop box is clipped to the media box.
      page.crop_box = {std::max(crop[0], page.media_box[0]), std::max(crop[1], page.media_box[1]),
                       std::min(crop[2], page.media_box[2]), std::min(crop[3], page.media_box[3])};
      if (page.crop_box[0] >= page.crop_box[2] || page.crop_box[1] >= page.crop_box[3]) {
        page.crop_box = page.media_box;
      }
    }
    if (inherited.rotate != nullptr) {
      TINHSO_ASSIGN_OR_RETURN(const Object* rotate, Resolve(*inherited.rotate));
      if (rotate->AsInt() == nullptr || *rotate->AsInt() % 90 != 0) {
        return Malformed("page /Rotate is not a multiple of 90");
      }
      page.rotate = static_cast<int>(((*rotate->AsInt() % 360) + 360) % 360);
    }
    result.push_back(page);
  }
  return result;
}

Result<int> Document::DocMdpPermission(const Dict& signature) {
  const Object* reference = Find(signature, "Reference");
  if (reference == nullptr) {
    return 0;
  }
  TINHSO_ASSIGN_OR_RETURN(const Object* references, Resolve(*reference));
  if (references->AsArray() == nullptr) {
    return 0;
  }
  for (const Object& item : *references->AsArray()) {
    TINHSO_ASSIGN_OR_RETURN(const Object* resolved, Resolve(item));
    if (resolved->type() != Object::Type::kDict) {
      continue;
    }
    const Object* method = Find(*resolved->AsDict(), "TransformMethod");
    if (method == nullptr || !method->IsName("DocMDP")) {
      continue;
    }
    const Object* params_entry = Find(*resolved->AsDict(), "TransformParams");
    if (params_entry == nullptr) {
      return 2;
    }
    TINHSO_ASSIGN_OR_RETURN(const Object* params, Resolve(*params_entry));
    const Object* p =
        params->type() == Object::Type::kDict ? Find(*params->AsDict(), "P") : nullptr;
    if (p == nullptr) {
      return 2;
    }
    // A permission we cannot read is the strictest one: nothing may be taken as allowed.
    return p->AsInt() != nullptr && *p->AsInt() >= 1 && *p->AsInt() <= 3
               ? static_cast<int>(*p->AsInt())
               : 1;
  }
  return 0;
}

Result<int> Document::CertificationPermission() {
  int strictest = 0;
  auto consider = [&strictest](int permission) {
    if (permission != 0 && (strictest == 0 || permission < strictest)) {
      strictest = permission;
    }
  };
  TINHSO_ASSIGN_OR_RETURN(const Dict* catalog, Catalog());
  if (const Object* perms_entry = Find(*catalog, "Perms")) {
    TINHSO_ASSIGN_OR_RETURN(const Object* perms, Resolve(*perms_entry));
    if (perms->type() == Object::Type::kDict) {
      if (const Object* docmdp = Find(*perms->AsDict(), "DocMDP")) {
        TINHSO_ASSIGN_OR_RETURN(const Object* signature, Resolve(*docmdp));
        if (signature->type() == Object::Type::kDict) {
          TINHSO_ASSIGN_OR_RETURN(const int permission, DocMdpPermission(*signature->AsDict()));
          consider(permission);
        }
      }
    }
  }
  TINHSO_ASSIGN_OR_RETURN(const std::vector<FieldRecord> fields, Fields());
  for (const FieldRecord& field : fields) {
    const Object* value = field.type == "Sig" ? Find(*field.object->AsDict(), "V") : nullptr;
    if (value == nullptr) {
      continue;
    }
    TINHSO_ASSIGN_OR_RETURN(const Object* signature, Resolve(*value));
    if (signature->type() == Object::Type::kDict) {
      TINHSO_ASSIGN_OR_RETURN(const int permission, DocMdpPermission(*signature->AsDict()));
      consider(permission);
    }
  }
  return strictest;
}

Result<std::vector<FieldRecord>> Document::Fields() {
  std::vector<FieldRecord> result;
  TINHSO_ASSIGN_OR_RETURN(const Dict* catalog, Catalog());
  const Object* acroform_entry = Find(*catalog, "AcroForm");
  if (acroform_entry == nullptr) {
    return result;
  }
  TINHSO_ASSIGN_OR_RETURN(const Object* acroform, Resolve(*acroform_entry));
  if (acroform->IsNull()) {
    return result;
  }
  if (acroform->type() != Object::Type::kDict) {
    return Malformed("/AcroForm is not a dictionary");
  }
  const Object* fields_entry = Find(*acroform->AsDict(), "Fields");
  if (fields_entry == nullptr) {
    return result;
  }
  TINHSO_ASSIGN_OR_RETURN(const Object* fields, Resolve(*fields_entry));
  if (fields->AsArray() == nullptr) {
    return Malformed("/AcroForm /Fields is not an array");
  }
  struct Pending {
    Ref ref;
    std::string parent_name;
    std::string type;
    int depth;
  };
  std::vector<Pending> stack;
  for (auto it = fields->AsArray()->rbegin(); it != fields->AsArray()->rend(); ++it) {
    if (it->AsRef() == nullptr) {
      return Malformed("/AcroForm /Fields holds something other than references");
    }
    stack.push_back({*it->AsRef(), "", "", 0});
  }
  std::unordered_set<std::uint32_t> visited;
  while (!stack.empty()) {
    Pending field = std::move(stack.back());
    stack.pop_back();
    if (field.depth > kMaxTreeDepth) {
      return LimitExceeded("field tree deeper than " + Num(kMaxTreeDepth));
    }
    if (!visited.insert(field.ref.num).second) {
      return Malformed("the field tree contains object " + Num(field.ref.num) + " twice");
    }
    if (visited.size() > kMaxFields) {
      return LimitExceeded("more than " + Num(kMaxFields) + " form fields");
    }
    TINHSO_ASSIGN_OR_RETURN(const Object* object, Get(field.ref));
    if (object->IsNull()) {
      continue;  // a dangling reference names no field
    }
    if (object->type() != Object::Type::kDict) {
      return Malformed("form field " + Num(field.ref.num) + " is not a dictionary");
    }
    const Dict& dict = *object->AsDict();
    std::string name = field.parent_name;
    if (const Object* t = Find(dict, "T")) {
      if (t->AsString() == nullptr) {
        return Malformed("field name /T is not a string");
      }
      TINHSO_ASSIGN_OR_RETURN(const std::string partial, DecodeTextString(t->AsString()->bytes));
      name = name.empty() ? partial : name + "." + partial;
    }
    std::string type = field.type;
    if (const Object* ft = Find(dict, "FT")) {
      if (ft->AsName() != nullptr) {
        type = ft->AsName()->value;
      }
    }
    // Kids with a /T are child fields; kids without are this field's widgets.
    std::vector<Ref> child_fields;
    if (const Object* kids = Find(dict, "Kids")) {
      TINHSO_ASSIGN_OR_RETURN(const Object* kids_object, Resolve(*kids));
      if (const Array* items = kids_object->AsArray()) {
        for (const Object& kid : *items) {
          if (kid.AsRef() == nullptr) {
            return Malformed("field /Kids holds something other than references");
          }
          TINHSO_ASSIGN_OR_RETURN(const Object* kid_object, Get(*kid.AsRef()));
          if (kid_object->AsDict() != nullptr && Find(*kid_object->AsDict(), "T") != nullptr) {
            child_fields.push_back(*kid.AsRef());
          }
        }
      }
    }
    if (child_fields.empty()) {
      result.push_back(FieldRecord{field.ref, name, type, object});
      continue;
    }
    for (auto it = child_fields.rbegin(); it != child_fields.rend(); ++it) {
      stack.push_back({*it, name, type, field.depth + 1});
    }
  }
  return result;
}

Result<int> Document::PageOf(Ref annotation, const Dict& dict,
                             const std::vector<PageRecord>& pages) {
  if (!annotation_pages_) {
    annotation_pages_.emplace();
    for (std::size_t i = 0; i < pages.size(); ++i) {
      const Object* annots = Find(*pages[i].object->AsDict(), "Annots");
      if (annots == nullptr) {
        continue;
      }
      TINHSO_ASSIGN_OR_RETURN(const Object* items, Resolve(*annots));
      if (items->AsArray() == nullptr) {
        continue;
      }
      for (const Object& item : *items->AsArray()) {
        if (item.AsRef() != nullptr) {
          annotation_pages_->try_emplace(item.AsRef()->num, static_cast<int>(i));
        }
      }
    }
  }
  int page = -1;
  if (auto it = annotation_pages_->find(annotation.num); it != annotation_pages_->end()) {
    page = it->second;
  } else if (const Object* p = Find(dict, "P"); p != nullptr && p->AsRef() != nullptr) {
    for (std::size_t i = 0; i < pages.size(); ++i) {
      if (pages[i].ref == *p->AsRef()) {
        page = static_cast<int>(i);
        break;
      }
    }
  }
  return page;
}

Result<std::pair<int, Box>> Document::Placement(const FieldRecord& field,
                                                const std::vector<PageRecord>& pages,
                                                Ref* widget_out) {
  const Dict& dict = *field.object->AsDict();
  Ref widget = field.ref;
  const Dict* widget_dict = &dict;
  if (Find(dict, "Rect") == nullptr) {
    // Not merged with its widget: the first kid is.
    if (const Object* kids = Find(dict, "Kids")) {
      TINHSO_ASSIGN_OR_RETURN(const Object* kids_object, Resolve(*kids));
      if (kids_object->AsArray() != nullptr && !kids_object->AsArray()->empty() &&
          kids_object->AsArray()->front().AsRef() != nullptr) {
        widget = *kids_object->AsArray()->front().AsRef();
        TINHSO_ASSIGN_OR_RETURN(const Object* kid, Get(widget));
        if (kid->AsDict() != nullptr) {
          widget_dict = kid->AsDict();
        }
      }
    }
  }
  TINHSO_ASSIGN_OR_RETURN(const int page, PageOf(widget, *widget_dict, pages));
  TINHSO_ASSIGN_OR_RETURN(const Box rect, RectOf(*widget_dict));
  if (widget_out != nullptr) {
    *widget_out = widget;
  }
  return std::make_pair(page, rect);
}

}  // namespace tinhso::pdf::internal
