// ReadSignatures, SignedBytes and Inspect: what a file says about its signatures and revisions,
// and what incremental updates after a signature changed.
#include <algorithm>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "pdf/document.hpp"
#include "pdf/errors.hpp"
#include "pdf/pdf.hpp"
#include "pdf/text.hpp"

namespace tinhso::pdf {
namespace {

using internal::Array;
using internal::Dict;
using internal::Document;
using internal::Find;
using internal::Object;
using internal::Ref;
using internal::XrefEntry;

constexpr std::size_t kMaxListedChanges = 10000;

Rect ToRect(const internal::Box& box) { return Rect{box[0], box[1], box[2], box[3]}; }

// The length of the BER/DER element at the start of `bytes` (definite or indefinite length),
// or nullopt when it is not one or does not fit.
std::optional<std::size_t> ElementLength(std::string_view bytes, int depth) {
  if (depth > 32 || bytes.size() < 2) {
    return std::nullopt;
  }
  std::size_t pos = 0;
  const auto tag = static_cast<unsigned char>(bytes[pos++]);
  if ((tag & 0x1f) == 0x1f) {
    int count = 0;
    while (pos < bytes.size() && (static_cast<unsigned char>(bytes[pos]) & 0x80) != 0) {
      if (++count > 4) {
        return std::nullopt;
      }
      ++pos;
    }
    ++pos;
  }
  if (pos >= bytes.size()) {
    return std::nullopt;
  }
  const auto first = static_cast<unsigned char>(bytes[pos++]);
  if (first == 0x80) {
    if ((tag & 0x20) == 0) {
      return std::nullopt;  // indefinite length only for constructed elements
    }
    while (pos + 2 <= bytes.size()) {
      if (bytes[pos] == 0 && bytes[pos + 1] == 0) {
        return pos + 2;
      }
      const auto inner = ElementLength(bytes.substr(pos), depth + 1);
      if (!inner) {
        return std::nullopt;
      }
      pos += *inner;
    }
    return std::nullopt;
  }
  std::size_t length = first;
  if (first > 0x80) {
    const std::size_t count = first & 0x7f;
    if (count > 4 || pos + count > bytes.size()) {
      return std::nullopt;
    }
    length = 0;
    for (std::size_t i = 0; i < count; ++i) {
      length = (length << 8) | static_cast<unsigned char>(bytes[pos++]);
    }
  }
  if (length > bytes.size() - pos) {
    return std::nullopt;
  }
  return pos + length;
}

// The CMS without the placeholder's zero padding: a ContentInfo is a SEQUENCE (0x30) whose
// length says where it ends; anything else (an unsigned placeholder) loses its trailing zeros.
std::string StripPadding(const std::string& contents) {
  if (!contents.empty() && contents[0] == '\x30') {
    if (const auto length = ElementLength(contents, 0)) {
      return contents.substr(0, *length);
    }
  }
  std::size_t end = contents.size();
  while (end > 0 && contents[end - 1] == '\0') {
    --end;
  }
  return contents.substr(0, end);
}

Result<std::string> TextEntry(const Dict& dict, std::string_view key) {
  const Object* value = Find(dict, key);
  if (value == nullptr || value->AsString() == nullptr) {
    return std::string();
  }
  return internal::DecodeTextString(value->AsString()->bytes);
}

std::string NameEntry(const Dict& dict, std::string_view key) {
  const Object* value = Find(dict, key);
  return value != nullptr && value->AsName() != nullptr ? value->AsName()->value : std::string();
}

std::vector<std::string> ChangedKeys(const Dict& a, const Dict& b) {
  std::vector<std::string> keys;
  for (const internal::DictEntry& entry : a) {
    const Object* other = Find(b, entry.key);
    if (other == nullptr || !internal::DeepEqual(entry.value, *other)) {
      keys.push_back(entry.key);
    }
  }
  for (const internal::DictEntry& entry : b) {
    if (Find(a, entry.key) == nullptr) {
      keys.push_back(entry.key);
    }
  }
  return keys;
}

std::string Join(const std::vector<std::string>& keys) {
  std::string text;
  for (const std::string& key : keys) {
    text += (text.empty() ? "/" : ", /") + key;
  }
  return text;
}

// Compares the objects of a signed revision with those of the whole file, and says which
// changes are what signing does and which change the document. After a certification signature
// (`permission`, DocMDP P, ISO 32000-1 §12.8.2.2) less is allowed: with P=1 nothing but the
// document security store and document time-stamps, which ETSI EN 319 142-1 (5.4) puts outside
// DocMDP; with P=2 signing the fields already there too, but no new field, whose widget is an
// annotation; P=3 permits annotations, so new signature fields as well.
class Comparer {
 public:
  Comparer(Document& signed_revision, Document& latest, int permission)
      : old_(signed_revision), new_(latest), permission_(permission) {}

  Result<void> Prepare() {
    TINHSO_ASSIGN_OR_RETURN(old_root_, old_.RootRef());
    TINHSO_ASSIGN_OR_RETURN(const std::vector<internal::PageRecord> pages, old_.Pages());
    for (std::size_t i = 0; i < pages.size(); ++i) {
      old_pages_[pages[i].ref.num] = static_cast<int>(i);
      if (const Object* annots = Find(*pages[i].object->AsDict(), "Annots")) {
        if (annots->AsRef() != nullptr) {
          annots_arrays_.insert(annots->AsRef()->num);
        }
      }
    }
    TINHSO_ASSIGN_OR_RETURN(const Dict* catalog, old_.Catalog());
    if (const Object* acroform = Find(*catalog, "AcroForm")) {
      if (acroform->AsRef() != nullptr) {
        acroform_ = acroform->AsRef()->num;
      }
      TINHSO_ASSIGN_OR_RETURN(const Object* resolved, old_.Resolve(*acroform));
      if (resolved->AsDict() != nullptr) {
        if (const Object* fields = Find(*resolved->AsDict(), "Fields")) {
          if (fields->AsRef() != nullptr) {
            fields_array_ = fields->AsRef()->num;
          }
        }
      }
    }
    if (const Object* dss = Find(*catalog, "DSS")) {
      if (dss->AsRef() != nullptr) {
        dss_.insert(dss->AsRef()->num);
      }
      TINHSO_ASSIGN_OR_RETURN(const Object* resolved, old_.Resolve(*dss));
      if (resolved->AsDict() != nullptr) {
        for (const internal::DictEntry& entry : *resolved->AsDict()) {
          if (entry.value.AsRef() != nullptr) {
            dss_.insert(entry.value.AsRef()->num);
          }
        }
      }
    }
    TINHSO_ASSIGN_OR_RETURN(const std::vector<internal::FieldRecord> fields, old_.Fields());
    for (const internal::FieldRecord& field : fields) {
      if (field.type == "Sig" && Find(*field.object->AsDict(), "V") == nullptr) {
        empty_signature_fields_.insert(field.ref.num);
      }
    }
    return Ok();
  }

  std::vector<ObjectChange> Run() {
    std::vector<ObjectChange> changes;
    for (const auto& [num, entry] : new_.entries()) {
      if (num == 0) {
        continue;
      }
      const XrefEntry* old_entry = old_.Entry(num);
      const bool old_used = old_entry != nullptr && old_entry->kind != XrefEntry::Kind::kFree;
      const bool new_used = entry.kind != XrefEntry::Kind::kFree;
      if (!old_used && !new_used) {
        continue;
      }
      if (!old_used) {
        changes.push_back({num, ObjectChange::Kind::kAdded, "new object"});
        continue;
      }
      if (!new_used) {
        changes.push_back({num, ObjectChange::Kind::kRemoved, "object removed"});
        continue;
      }
      if (*old_entry == entry && SameContainer(entry)) {
        continue;
      }
      auto old_object = old_.Get(Ref{num, old_.GenerationOf(num)});
      auto new_object = new_.Get(Ref{num, new_.GenerationOf(num)});
      if (!old_object.ok() || !new_object.ok()) {
        const Error& error = !old_object.ok() ? old_object.error() : new_object.error();
        changes.push_back({num, ObjectChange::Kind::kModified, "cannot be read: " + error.detail});
        continue;
      }
      if (internal::DeepEqual(**old_object, **new_object)) {
        continue;
      }
      changes.push_back(Classify(num, **old_object, **new_object));
    }
    auto new_root = new_.RootRef();
    if (!new_root.ok() || new_root->num != old_root_.num) {
      changes.push_back({new_root.ok() ? new_root->num : 0, ObjectChange::Kind::kModified,
                         "the trailer's /Root now names another catalog"});
    }
    if (new_.encrypted() && !old_.encrypted()) {
      changes.push_back({0, ObjectChange::Kind::kModified, "encryption added"});
    }
    std::sort(changes.begin(), changes.end(), [](const ObjectChange& a, const ObjectChange& b) {
      return a.object_number < b.object_number;
    });
    return changes;
  }

 private:
  // Objects in object streams are unchanged only if their stream is.
  bool SameContainer(const XrefEntry& entry) const {
    if (entry.kind != XrefEntry::Kind::kCompressed) {
      return true;
    }
    const auto stream = static_cast<std::uint32_t>(entry.offset);
    const XrefEntry* old_stream = old_.Entry(stream);
    const XrefEntry* new_stream = new_.Entry(stream);
    return old_stream != nullptr && new_stream != nullptr && *old_stream == *new_stream;
  }

  ObjectChange Classify(std::uint32_t num, const Object& before, const Object& after) {
    auto modified = [num](std::string reason) {
      return ObjectChange{num, ObjectChange::Kind::kModified, std::move(reason)};
    };
    auto allowed = [num](std::string reason) {
      return ObjectChange{num, ObjectChange::Kind::kAllowed, std::move(reason)};
    };
    if (before.AsStream() != nullptr) {
      const Dict& dict = before.AsStream()->dict;
      if (const Object* type = Find(dict, "Type")) {
        if (type->IsName("XRef")) {
          return allowed("cross-reference stream");
        }
        if (type->IsName("ObjStm")) {
          return allowed("object stream (its objects are compared one by one)");
        }
      }
      return modified("stream changed");
    }
    const Dict* old_dict = before.type() == Object::Type::kDict ? before.AsDict() : nullptr;
    const Dict* new_dict = after.type() == Object::Type::kDict ? after.AsDict() : nullptr;
    if (num == old_root_.num) {
      if (old_dict == nullptr || new_dict == nullptr) {
        return modified("catalog replaced");
      }
      for (const std::string& key : ChangedKeys(*old_dict, *new_dict)) {
        if (key == "AcroForm") {
          if (auto problem = CheckAcroForm(Find(*old_dict, key), Find(*new_dict, key))) {
            return modified("catalog: " + *problem);
          }
        } else if (key != "DSS" && key != "Extensions") {
          return modified("catalog: /" + key + " changed");
        }
      }
      return allowed("catalog: /AcroForm or /DSS updated");
    }
    if (auto page = old_pages_.find(num); page != old_pages_.end()) {
      const std::string where = "page " + std::to_string(page->second + 1);
      if (old_dict == nullptr || new_dict == nullptr) {
        return modified(where + " replaced");
      }
      std::vector<std::string> keys = ChangedKeys(*old_dict, *new_dict);
      std::erase(keys, "Annots");
      if (!keys.empty()) {
        return modified(where + ": " + Join(keys) + " changed");
      }
      if (auto problem = CheckAdditions(Find(*old_dict, "Annots"), Find(*new_dict, "Annots"),
                                        /*widgets=*/true)) {
        return modified(where + ": " + *problem);
      }
      return allowed(where + ": signature widgets added to /Annots");
    }
    if (acroform_ && num == *acroform_) {
      if (auto problem = CheckAcroForm(&before, &after)) {
        return modified(*problem);
      }
      return allowed("/AcroForm: signature fields added");
    }
    if ((fields_array_ && num == *fields_array_) || annots_arrays_.contains(num)) {
      const bool widgets = annots_arrays_.contains(num);
      if (auto problem = CheckAdditions(&before, &after, widgets)) {
        return modified(*problem);
      }
      return allowed(widgets ? "/Annots: signature widgets added"
                             : "/Fields: signature fields added");
    }
    if (empty_signature_fields_.contains(num) && old_dict != nullptr && new_dict != nullptr) {
      std::vector<std::string> keys = ChangedKeys(*old_dict, *new_dict);
      std::erase_if(keys, [](const std::string& key) { return key == "V" || key == "AP"; });
      if (!keys.empty()) {
        return modified("signature field: " + Join(keys) + " changed");
      }
      if (permission_ == 1 && !IsDocTimeStamp(Ref{num, new_.GenerationOf(num)})) {
        return modified(NotPermitted("an empty signature field was signed"));
      }
      return allowed("empty signature field signed");
    }
    if (dss_.contains(num)) {
      return allowed("document security store");
    }
    return modified("object changed");
  }

  // A problem with /AcroForm going from `before` to `after` (entries or references), or nullopt
  // when only signature fields were added (and /SigFlags, /DR, /DA changed).
  std::optional<std::string> CheckAcroForm(const Object* before, const Object* after) {
    const Dict empty;
    const Dict* old_dict = &empty;
    const Dict* new_dict = &empty;
    if (before != nullptr) {
      auto resolved = old_.Resolve(*before);
      if (!resolved.ok()) {
        return "old /AcroForm cannot be read";
      }
      if ((*resolved)->AsDict() != nullptr) {
        old_dict = (*resolved)->AsDict();
      }
    }
    if (after != nullptr) {
      auto resolved = new_.Resolve(*after);
      if (!resolved.ok()) {
        return "new /AcroForm cannot be read";
      }
      if ((*resolved)->AsDict() != nullptr) {
        new_dict = (*resolved)->AsDict();
      }
    }
    for (const std::string& key : ChangedKeys(*old_dict, *new_dict)) {
      if (key == "Fields") {
        if (auto problem = CheckAdditions(Find(*old_dict, key), Find(*new_dict, key), false)) {
          return problem;
        }
      } else if (key != "SigFlags" && ((key != "DR" && key != "DA") || permission_ == 1)) {
        return "/AcroForm /" + key + " changed";
      }
    }
    return std::nullopt;
  }

  // A problem with an array (/Annots or /Fields, direct or through a reference) going from
  // `before` to `after`, or nullopt when it only gained signature widgets or fields.
  std::optional<std::string> CheckAdditions(const Object* before, const Object* after,
                                            bool widgets) {
    const char* what = widgets ? "/Annots" : "/Fields";
    Array old_items;
    Array new_items;
    if (before != nullptr) {
      auto resolved = old_.Resolve(*before);
      if (!resolved.ok()) {
        return std::string("old ") + what + " cannot be read";
      }
      if ((*resolved)->AsArray() != nullptr) {
        old_items = *(*resolved)->AsArray();
      }
    }
    if (after != nullptr) {
      auto resolved = new_.Resolve(*after);
      if (!resolved.ok()) {
        return std::string("new ") + what + " cannot be read";
      }
      if ((*resolved)->AsArray() != nullptr) {
        new_items = *(*resolved)->AsArray();
      }
    }
    // References (nearly every entry) are matched through a map, direct entries pairwise; a
    // hostile file with many direct entries is refused rather than compared in quadratic time.
    std::vector<bool> matched(new_items.size(), false);
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<std::size_t>> by_ref;
    std::vector<std::size_t> direct;
    for (std::size_t i = new_items.size(); i-- > 0;) {
      if (const Ref* ref = new_items[i].AsRef()) {
        by_ref[{ref->num, ref->gen}].push_back(i);
      } else {
        direct.push_back(i);
      }
    }
    if (direct.size() > 1000) {
      return std::string("too many direct entries in ") + what + " to compare";
    }
    for (const Object& item : old_items) {
      bool found = false;
      if (const Ref* ref = item.AsRef()) {
        auto it = by_ref.find({ref->num, ref->gen});
        if (it != by_ref.end() && !it->second.empty()) {
          matched[it->second.back()] = found = true;
          it->second.pop_back();
        }
      } else {
        for (std::size_t i : direct) {
          if (!matched[i] && internal::DeepEqual(item, new_items[i])) {
            matched[i] = found = true;
            break;
          }
        }
      }
      if (!found) {
        return std::string("an entry was removed from ") + what;
      }
    }
    for (std::size_t i = 0; i < new_items.size(); ++i) {
      if (matched[i]) {
        continue;
      }
      const Ref* ref = new_items[i].AsRef();
      if (ref == nullptr || !IsSignatureField(*ref, widgets)) {
        return std::string("something other than a signature ") + (widgets ? "widget" : "field") +
               " was added to " + what;
      }
      if ((permission_ == 1 || permission_ == 2) && !IsDocTimeStamp(*ref)) {
        return NotPermitted(std::string("a new signature ") + (widgets ? "widget" : "field") +
                            " was added to " + what);
      }
    }
    return std::nullopt;
  }

  std::string NotPermitted(const std::string& change) const {
    return change + ", which the certification (DocMDP P=" + std::to_string(permission_) +
           ") does not permit";
  }

  // In the latest revision: the dictionary `ref` names, or null.
  const Dict* DictAt(Ref ref) {
    auto object = new_.Get(ref);
    return object.ok() && (*object)->type() == Object::Type::kDict ? (*object)->AsDict() : nullptr;
  }

  // In the latest revision: the field `ref`'s value for `key`, its own or inherited through
  // /Parent (§12.7.3.1); null when none.
  const Object* Inherited(Ref ref, std::string_view key) {
    for (int depth = 0; depth <= 16; ++depth) {
      const Dict* dict = DictAt(ref);
      if (dict == nullptr) {
        return nullptr;
      }
      if (const Object* value = Find(*dict, key)) {
        return value;
      }
      const Object* parent = Find(*dict, "Parent");
      if (parent == nullptr || parent->AsRef() == nullptr) {
        return nullptr;
      }
      ref = *parent->AsRef();
    }
    return nullptr;
  }

  // In the latest revision: the field `ref` holds a document time-stamp (/Type /DocTimeStamp,
  // ETSI EN 319 142-1 5.4.3).
  bool IsDocTimeStamp(Ref ref) {
    const Object* value = Inherited(ref, "V");
    if (value == nullptr) {
      return false;
    }
    auto signature = new_.Resolve(*value);
    if (!signature.ok() || (*signature)->type() != Object::Type::kDict) {
      return false;
    }
    const Object* type = Find(*(*signature)->AsDict(), "Type");
    return type != nullptr && type->IsName("DocTimeStamp");
  }

  // In the latest revision: `ref` is a signature field (its /FT, inherited through /Parent, is
  // /Sig) and, when `widget`, also a widget annotation.
  bool IsSignatureField(Ref ref, bool widget) {
    const Dict* dict = DictAt(ref);
    if (dict == nullptr) {
      return false;
    }
    if (widget) {
      const Object* subtype = Find(*dict, "Subtype");
      if (subtype == nullptr || !subtype->IsName("Widget")) {
        return false;
      }
    }
    const Object* type = Inherited(ref, "FT");
    return type != nullptr && type->IsName("Sig");
  }

  Document& old_;
  Document& new_;
  const int permission_;  // DocMDP P of the signature, 0 for an approval signature
  Ref old_root_;
  std::unordered_map<std::uint32_t, int> old_pages_;
  std::optional<std::uint32_t> acroform_;
  std::optional<std::uint32_t> fields_array_;
  std::unordered_set<std::uint32_t> annots_arrays_;
  std::unordered_set<std::uint32_t> dss_;
  std::unordered_set<std::uint32_t> empty_signature_fields_;
};

// The changes after the revision ending at `end`, judged for a signature with DocMDP
// `permission` (0: an approval signature), or one kModified entry saying why the signed revision
// cannot be compared.
std::vector<ObjectChange> ChangesAfter(std::string_view pdf, std::size_t end, Document& latest,
                                       int permission) {
  auto signed_revision = Document::Open(pdf.substr(0, end));
  if (!signed_revision.ok()) {
    return {{0, ObjectChange::Kind::kModified,
             "the signed revision cannot be read: " + signed_revision.error().detail}};
  }
  Comparer comparer(**signed_revision, latest, permission);
  if (auto prepared = comparer.Prepare(); !prepared.ok()) {
    return {{0, ObjectChange::Kind::kModified,
             "the signed revision cannot be read: " + prepared.error().detail}};
  }
  std::vector<ObjectChange> changes = comparer.Run();
  if (changes.size() > kMaxListedChanges) {
    // Keep the interesting ones first: modifications, then the rest.
    std::stable_partition(changes.begin(), changes.end(), [](const ObjectChange& change) {
      return change.kind == ObjectChange::Kind::kModified ||
             change.kind == ObjectChange::Kind::kRemoved;
    });
    const std::size_t more = changes.size() - kMaxListedChanges;
    changes.resize(kMaxListedChanges);
    changes.push_back(
        {0, ObjectChange::Kind::kAdded, std::to_string(more) + " more changes not listed"});
  }
  return changes;
}

// Fills the byte-range checks of `info` for the signature dictionary `signature` (object `ref`).
void CheckByteRange(std::string_view pdf, Document& document, Ref ref, const Object& signature,
                    SignatureInfo& info) {
  const Dict& dict = *signature.AsDict();
  const Object* range = Find(dict, "ByteRange");
  auto fail = [&info](std::string problem) { info.byte_range_problem = std::move(problem); };
  if (range == nullptr || range->AsArray() == nullptr) {
    return fail("no /ByteRange array");
  }
  for (const Object& item : *range->AsArray()) {
    if (item.AsInt() == nullptr) {
      return fail("/ByteRange holds something other than integers");
    }
    info.byte_range.push_back(*item.AsInt());
  }
  const std::vector<std::int64_t>& br = info.byte_range;
  const auto size = static_cast<std::int64_t>(pdf.size());
  if (br.size() != 4) {
    return fail("/ByteRange does not have exactly four numbers");
  }
  if (br[0] != 0) {
    return fail("/ByteRange does not start at offset 0");
  }
  if (br[1] <= 0 || br[2] <= br[1] || br[3] < 0 || br[2] > size || br[3] > size - br[2]) {
    return fail("/ByteRange is out of order or runs past the end of the file");
  }
  const XrefEntry* entry = document.Entry(ref.num);
  if (entry == nullptr || entry->kind != XrefEntry::Kind::kInFile) {
    return fail("the signature dictionary is inside an object stream");
  }
  const Object* contents = Find(dict, "Contents");
  if (contents == nullptr || contents->AsString() == nullptr) {
    return fail("no /Contents string");
  }
  if (!contents->AsString()->hex) {
    return fail("/Contents is not a hexadecimal string");
  }
  if (static_cast<std::int64_t>(contents->begin) != br[1] ||
      static_cast<std::int64_t>(contents->end) != br[2]) {
    return fail("the gap in /ByteRange is not exactly the /Contents string");
  }
  info.byte_range_ok = true;
}

}  // namespace

Result<std::vector<SignatureInfo>> ReadSignatures(std::string_view pdf) {
  TINHSO_ASSIGN_OR_RETURN(auto document, Document::Open(pdf));
  if (document->encrypted()) {
    return internal::Encrypted();
  }
  TINHSO_ASSIGN_OR_RETURN(const std::vector<internal::PageRecord> pages, document->Pages());
  TINHSO_ASSIGN_OR_RETURN(const std::vector<internal::FieldRecord> fields, document->Fields());
  const std::vector<std::size_t>& ends = document->revision_ends();
  std::map<std::pair<std::size_t, int>, std::vector<ObjectChange>> changes_by_revision;
  std::vector<SignatureInfo> result;
  for (const internal::FieldRecord& field : fields) {
    if (field.type != "Sig") {
      continue;
    }
    const Object* value = Find(*field.object->AsDict(), "V");
    if (value == nullptr) {
      continue;
    }
    TINHSO_ASSIGN_OR_RETURN(const Object* signature, document->Resolve(*value));
    if (signature->type() != Object::Type::kDict) {
      continue;  // /V null or not a signature dictionary: an unsigned field
    }
    const Dict& dict = *signature->AsDict();
    SignatureInfo info;
    info.field_name = field.name;
    info.filter = NameEntry(dict, "Filter");
    info.sub_filter = NameEntry(dict, "SubFilter");
    if (const Object* contents = Find(dict, "Contents");
        contents != nullptr && contents->AsString() != nullptr) {
      info.contents = StripPadding(contents->AsString()->bytes);
    }
    TINHSO_ASSIGN_OR_RETURN(info.signing_time, TextEntry(dict, "M"));
    info.signing_time_utc = internal::ParsePdfDate(info.signing_time).value_or(0);
    TINHSO_ASSIGN_OR_RETURN(info.name, TextEntry(dict, "Name"));
    TINHSO_ASSIGN_OR_RETURN(info.reason, TextEntry(dict, "Reason"));
    TINHSO_ASSIGN_OR_RETURN(info.location, TextEntry(dict, "Location"));
    TINHSO_ASSIGN_OR_RETURN(info.contact_info, TextEntry(dict, "ContactInfo"));
    TINHSO_ASSIGN_OR_RETURN(info.certification, document->DocMdpPermission(dict));
    TINHSO_ASSIGN_OR_RETURN(const auto placement, document->Placement(field, pages));
    info.page_index = placement.first;
    info.rect = ToRect(placement.second);
    if (value->AsRef() == nullptr) {
      info.byte_range_problem = "the signature dictionary is not an indirect object";
    } else {
      CheckByteRange(pdf, *document, *value->AsRef(), *signature, info);
    }

    // The revision is the first one ending after the signature dictionary.
    std::size_t object_end = signature->end;
    if (value->AsRef() != nullptr) {
      const XrefEntry* entry = document->Entry(value->AsRef()->num);
      if (entry != nullptr && entry->kind == XrefEntry::Kind::kCompressed) {
        auto stream =
            document->Get(Ref{static_cast<std::uint32_t>(entry->offset),
                              document->GenerationOf(static_cast<std::uint32_t>(entry->offset))});
        object_end = stream.ok() ? (*stream)->end : pdf.size();
      }
    }
    info.revision_count = static_cast<int>(ends.size());
    const auto it = std::lower_bound(ends.begin(), ends.end(), object_end);
    info.revision = static_cast<int>(it - ends.begin()) + 1;
    if (it == ends.end()) {
      info.revision_end = static_cast<std::int64_t>(pdf.size());
    } else {
      info.revision_end = static_cast<std::int64_t>(*it);
    }
    if (info.byte_range_ok) {
      const std::int64_t signed_end = info.byte_range[2] + info.byte_range[3];
      // The revision may end with the end-of-line after %%EOF or just before it.
      const std::int64_t gap = info.revision_end - signed_end;
      bool only_eol = gap >= 0 && gap <= 2;
      for (std::int64_t i = signed_end; only_eol && i < info.revision_end; ++i) {
        only_eol =
            pdf[static_cast<std::size_t>(i)] == '\r' || pdf[static_cast<std::size_t>(i)] == '\n';
      }
      info.covers_revision = only_eol;
      info.covers_whole_file = signed_end == static_cast<std::int64_t>(pdf.size());
    }
    if (it != ends.end() && info.revision < info.revision_count) {
      const std::pair<std::size_t, int> key(*it, info.certification);
      auto cached = changes_by_revision.find(key);
      if (cached == changes_by_revision.end()) {
        cached =
            changes_by_revision.emplace(key, ChangesAfter(pdf, *it, *document, info.certification))
                .first;
      }
      info.changes = cached->second;
    }
    info.modified_after_signing =
        std::any_of(info.changes.begin(), info.changes.end(), [](const ObjectChange& change) {
          return change.kind == ObjectChange::Kind::kModified ||
                 change.kind == ObjectChange::Kind::kRemoved;
        });
    result.push_back(std::move(info));
  }
  return result;
}

Result<std::string> SignedBytes(std::string_view pdf, const SignatureInfo& signature) {
  const std::vector<std::int64_t>& br = signature.byte_range;
  const auto size = static_cast<std::int64_t>(pdf.size());
  if (br.size() != 4 || br[0] != 0 || br[1] <= 0 || br[2] < br[1] || br[3] < 0 || br[1] > size ||
      br[2] > size || br[3] > size - br[2]) {
    return internal::InvalidRequest("Phạm vi ký (/ByteRange) không hợp lệ với tệp này",
                                    "the signature's /ByteRange does not fit this file");
  }
  std::string bytes;
  bytes.reserve(static_cast<std::size_t>(br[1] + br[3]));
  bytes.append(pdf.substr(0, static_cast<std::size_t>(br[1])));
  bytes.append(pdf.substr(static_cast<std::size_t>(br[2]), static_cast<std::size_t>(br[3])));
  return bytes;
}

Result<DocumentInfo> Inspect(std::string_view pdf) {
  TINHSO_ASSIGN_OR_RETURN(auto document, Document::Open(pdf));
  if (document->encrypted()) {
    return internal::Encrypted();
  }
  DocumentInfo info;
  info.version = document->version();
  info.xref_stream = document->sections().front().is_stream;
  info.revisions = static_cast<int>(document->revision_ends().size());
  TINHSO_ASSIGN_OR_RETURN(const std::vector<internal::PageRecord> pages, document->Pages());
  for (const internal::PageRecord& page : pages) {
    info.pages.push_back(PageInfo{ToRect(page.media_box), ToRect(page.crop_box), page.rotate});
  }
  TINHSO_ASSIGN_OR_RETURN(const std::vector<internal::FieldRecord> fields, document->Fields());
  for (const internal::FieldRecord& field : fields) {
    FieldInfo field_info;
    field_info.name = field.name;
    field_info.type = field.type;
    field_info.has_value = Find(*field.object->AsDict(), "V") != nullptr;
    TINHSO_ASSIGN_OR_RETURN(const auto placement, document->Placement(field, pages));
    field_info.page_index = placement.first;
    field_info.rect = ToRect(placement.second);
    info.fields.push_back(std::move(field_info));
  }
  return info;
}

}  // namespace tinhso::pdf
