// The catalog document: Parse (read and validate, collecting every problem), ToJson (the
// canonical form), and the JSON writer they share with the store and the routes. The format
// is described field by field in data/catalog/README.md.

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/stream_parser.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/catalog.hpp"
#include "catalog/internal.hpp"
#include "core/parse.hpp"
#include "core/text.hpp"

namespace tinhso::catalog {
namespace internal {
namespace {

namespace bj = boost::json;

using List = std::vector<std::string_view>;

const List kLevels = {"province", "commune"};
const List kOnlineLevels = {"full", "partial"};
const List kTimeUnits = {"working_days", "days", "hours"};
const List kFeeKinds = {"phi", "le_phi"};
const List kFileTypes = {"pdf", "jpg", "png", "docx", "xml"};
const List kFieldTypes = {"text",    "textarea", "date",     "number", "select",
                          "boolean", "cccd",     "tax_code", "phone",  "email"};
const List kRoles = {"reception", "officer", "leader", "clerk"};
const List kStepKinds = {"normal", "consultation", "interagency"};
const List kCompetentKinds = {"commune", "department", "province_pc"};
const List kStepAgencyKinds = {"commune", "department", "province_pc", "receiving", "competent"};

// Shares of the statutory time are decimals written by hand (0.1, 0.15…): their sum is
// compared with this tolerance.
constexpr double kShareTolerance = 0.001;
// The longest statutory time accepted, in any unit: a typo guard, not a legal limit.
constexpr double kMaxProcessingTime = 1000;
constexpr std::size_t kMaxName = 500;
constexpr std::size_t kMaxNote = 2000;

bool OneOf(std::string_view value, const List& list) {
  for (std::string_view v : list) {
    if (v == value) return true;
  }
  return false;
}

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string ListText(const List& list) {
  std::string out;
  for (std::string_view v : list) {
    if (!out.empty()) out += ", ";
    out += Quoted(v);
  }
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

// A national TTHC code: one digit, a dot, six digits ("1.001193", "2.000815", "3.000722").
// The first digit is the kind of procedure in the national database (1–6 are in use).
bool IsProcedureCode(std::string_view s) {
  if (s.size() != 8 || !IsDigit(s[0]) || s[1] != '.') return false;
  for (std::size_t i = 2; i < s.size(); ++i) {
    if (!IsDigit(s[i])) return false;
  }
  return true;
}

// [a-z][a-z0-9_]*, at most 64 characters: sector, step and form-field names.
bool IsIdentifier(std::string_view s) {
  if (s.empty() || s.size() > 64 || !IsLower(s[0])) return false;
  for (char c : s) {
    if (!IsLower(c) && !IsDigit(c) && c != '_') return false;
  }
  return true;
}

// Letters, digits, '_', '.', '-', at most 32: fee, component and field (lĩnh vực) codes.
bool IsShortCode(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char c : s) {
    if (!IsLower(c) && !IsUpper(c) && !IsDigit(c) && c != '_' && c != '.' && c != '-') {
      return false;
    }
  }
  return true;
}

// An agency code in either notation ("H55.03", "000.00.03.H55"): letters, digits, dots.
bool IsAgencyCode(std::string_view s) {
  if (s.empty() || s.size() > 40) return false;
  for (char c : s) {
    if (!IsUpper(c) && !IsLower(c) && !IsDigit(c) && c != '.') return false;
  }
  return true;
}

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

bool HasControl(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// Who a problem is about: "Thủ tục 1.001193" / "Procedure 1.001193".
struct Subject {
  std::string vi;
  std::string en;
};

Subject DocumentSubject() { return {"Tài liệu danh mục", "Catalog document"}; }

class Problems {
 public:
  void Add(const Subject& subject, std::string_view path, std::string_view vi,
           std::string_view en) {
    list_.push_back({subject.vi + ", trường " + std::string(path) + ": " + std::string(vi),
                     subject.en + ", field " + std::string(path) + ": " + std::string(en),
                     std::string(path)});
  }
  bool empty() const { return list_.empty(); }
  std::size_t size() const { return list_.size(); }
  const std::vector<Problem>& list() const { return list_; }

 private:
  std::vector<Problem> list_;
};

// Reads the fields of one JSON object, reporting wrong types and missing required fields, and
// remembering which keys were asked for so that the rest can be reported as unknown (a
// misspelt "reqired" must not silently mean "required: true").
class Fields {
 public:
  Fields(const bj::object& object, Subject subject, std::string prefix, Problems& problems)
      : object_(object),
        subject_(std::move(subject)),
        prefix_(std::move(prefix)),
        problems_(problems) {}

  std::string Path(std::string_view key) const { return prefix_ + std::string(key); }
  const Subject& subject() const { return subject_; }
  Problems& problems() { return problems_; }

  void Report(std::string_view key, std::string_view vi, std::string_view en) {
    problems_.Add(subject_, Path(key), vi, en);
  }

  // The value, or null when missing or JSON null (both mean "not given").
  const bj::value* Find(std::string_view key) {
    seen_.emplace(key);
    auto it = object_.find(key);
    if (it == object_.end() || it->value().is_null()) return nullptr;
    return &it->value();
  }

  // NFC, trimmed; "" when missing or wrong (reported).
  std::string String(std::string_view key, bool required, std::size_t max_chars = kMaxName,
                     bool single_line = true) {
    const bj::value* v = Find(key);
    if (v == nullptr) {
      if (required) Report(key, "là bắt buộc.", "is required.");
      return {};
    }
    if (!v->is_string()) {
      Report(key, "phải là chuỗi ký tự.", "must be a string.");
      return {};
    }
    return CheckText(key, v->get_string(), required, max_chars, single_line);
  }

  std::string CheckText(std::string_view path_key, std::string_view raw, bool required,
                        std::size_t max_chars, bool single_line) {
    std::string s = core::ToNfc(Trim(raw));
    if (s.empty()) {
      if (required) Report(path_key, "không được để trống.", "must not be empty.");
      return {};
    }
    if (CodePoints(s) > max_chars) {
      Report(path_key, "dài quá " + std::to_string(max_chars) + " ký tự.",
             "is longer than " + std::to_string(max_chars) + " characters.");
    }
    if (single_line && HasControl(s)) {
      Report(path_key, "không được chứa ký tự điều khiển hay xuống dòng.",
             "must not contain control characters or line breaks.");
    }
    return s;
  }

  // A string that must be one of `list`.
  std::string Enum(std::string_view key, const List& list, bool required,
                   std::string_view fallback = {}) {
    const bj::value* v = Find(key);
    if (v == nullptr) {
      if (required) {
        Report(key, "là bắt buộc (một trong " + ListText(list) + ").",
               "is required (one of " + ListText(list) + ").");
      }
      return std::string(fallback);
    }
    if (!v->is_string() || !OneOf(v->get_string(), list)) {
      Report(key, "phải là một trong " + ListText(list) + ".",
             "must be one of " + ListText(list) + ".");
      return std::string(fallback);
    }
    return std::string(v->get_string());
  }

  bool Bool(std::string_view key, bool fallback) {
    const bj::value* v = Find(key);
    if (v == nullptr) return fallback;
    if (!v->is_bool()) {
      Report(key, "phải là true hoặc false.", "must be true or false.");
      return fallback;
    }
    return v->get_bool();
  }

  std::optional<double> Number(std::string_view key, bool required) {
    const bj::value* v = Find(key);
    if (v == nullptr) {
      if (required) Report(key, "là bắt buộc.", "is required.");
      return std::nullopt;
    }
    if (!v->is_number()) {
      Report(key, "phải là số.", "must be a number.");
      return std::nullopt;
    }
    return v->to_number<double>();
  }

  // Integers may be written 200000 or 200000.0; 1.5 is refused.
  std::optional<std::int64_t> Integer(std::string_view key, bool required) {
    const bj::value* v = Find(key);
    if (v == nullptr) {
      if (required) Report(key, "là bắt buộc.", "is required.");
      return std::nullopt;
    }
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64() &&
        v->get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return static_cast<std::int64_t>(v->get_uint64());
    }
    if (v->is_double()) {
      const double d = v->get_double();
      if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9e15) {
        return static_cast<std::int64_t>(d);
      }
    }
    Report(key, "phải là số nguyên.", "must be a whole number.");
    return std::nullopt;
  }

  // A count of copies: a whole number from 0 to 100.
  int Count(std::string_view key) {
    auto n = Integer(key, false);
    if (!n) return 0;
    if (*n < 0 || *n > 100) {
      Report(key, "phải là số nguyên từ 0 đến 100.", "must be a whole number from 0 to 100.");
      return 0;
    }
    return static_cast<int>(*n);
  }

  const bj::array* Array(std::string_view key, bool required) {
    const bj::value* v = Find(key);
    if (v == nullptr) {
      if (required) Report(key, "là bắt buộc.", "is required.");
      return nullptr;
    }
    if (!v->is_array()) {
      Report(key, "phải là một mảng [...].", "must be an array [...].");
      return nullptr;
    }
    return &v->get_array();
  }

  const bj::object* Object(std::string_view key, bool required) {
    const bj::value* v = Find(key);
    if (v == nullptr) {
      if (required) Report(key, "là bắt buộc.", "is required.");
      return nullptr;
    }
    if (!v->is_object()) {
      Report(key, "phải là một đối tượng {...}.", "must be an object {...}.");
      return nullptr;
    }
    return &v->get_object();
  }

  // An array of non-empty strings, each unique.
  std::vector<std::string> Strings(std::string_view key, bool at_least_one,
                                   std::size_t max_chars = kMaxNote) {
    std::vector<std::string> out;
    const bj::array* a = Array(key, at_least_one);
    if (a == nullptr) return out;
    if (a->empty() && at_least_one) {
      Report(key, "phải có ít nhất một mục.", "needs at least one entry.");
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < a->size(); ++i) {
      const std::string path = std::string(key) + "[" + std::to_string(i) + "]";
      if (!(*a)[i].is_string()) {
        Report(path, "phải là chuỗi ký tự.", "must be a string.");
        continue;
      }
      std::string s = CheckText(path, (*a)[i].get_string(), true, max_chars, true);
      if (s.empty()) continue;
      if (!seen.insert(s).second) {
        Report(path, "bị lặp lại " + Quoted(s) + ".", "repeats " + Quoted(s) + ".");
        continue;
      }
      out.push_back(std::move(s));
    }
    return out;
  }

  // Reports every key that was never asked for.
  void RejectUnknown() {
    for (const auto& kv : object_) {
      if (seen_.count(std::string_view(kv.key())) == 0) {
        Report(std::string_view(kv.key()), "không có trường này trong định dạng danh mục.",
               "is not a field of the catalog format.");
      }
    }
  }

 private:
  const bj::object& object_;
  Subject subject_;
  std::string prefix_;
  Problems& problems_;
  std::set<std::string, std::less<>> seen_;
};

// The elements of an array that are objects; others are reported.
template <typename F>
void ForEachObject(Fields& parent, std::string_view key, const bj::array& array, F&& each) {
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string path = std::string(key) + "[" + std::to_string(i) + "]";
    if (!array[i].is_object()) {
      parent.Report(path, "phải là một đối tượng {...}.", "must be an object {...}.");
      continue;
    }
    Fields fields(array[i].get_object(), parent.subject(), parent.Path(path) + ".",
                  parent.problems());
    each(i, fields);
    fields.RejectUnknown();
  }
}

// Sector codes a document defines; null when they are not checked (stored procedures).
using SectorCodes = std::set<std::string, std::less<>>;

AgencyRef ReadAgencyRef(Fields& f, const List& kinds, const SectorCodes* sectors) {
  AgencyRef ref;
  ref.kind = f.Enum("kind", kinds, true);
  ref.sector = f.String("sector", false, 64);
  if (ref.kind == "department") {
    if (ref.sector.empty()) {
      f.Report("sector", "là bắt buộc khi kind là \"department\" (mã ngành trong \"sectors\").",
               "is required with kind \"department\" (a code from \"sectors\").");
    } else if (sectors != nullptr && sectors->count(ref.sector) == 0) {
      f.Report(
          "sector",
          "ngành " + Quoted(ref.sector) + " không có trong danh sách \"sectors\" của tài liệu.",
          "sector " + Quoted(ref.sector) + " is not listed in the document's \"sectors\".");
    }
  } else if (!ref.sector.empty() && !ref.kind.empty()) {
    f.Report("sector", "chỉ dùng khi kind là \"department\".",
             "is only allowed with kind \"department\".");
  }
  return ref;
}

void ReadProcessingTime(Fields& f, ProcessingTime& out) {
  if (auto value = f.Number("value", true)) {
    if (!std::isfinite(*value) || *value < 0 || *value > kMaxProcessingTime) {
      f.Report("value", "phải là số từ 0 đến 1000 (0 là trả kết quả ngay).",
               "must be a number from 0 to 1000 (0 means the result is given at once).");
    } else {
      out.value = *value;
    }
  }
  const std::string unit = f.Enum("unit", kTimeUnits, true, "working_days");
  if (unit == "days") out.unit = TimeUnit::kDays;
  if (unit == "hours") out.unit = TimeUnit::kHours;
  if (unit == "working_days") out.unit = TimeUnit::kWorkingDays;
}

void ReadFees(Fields& f, std::vector<Fee>& out) {
  const bj::array* fees = f.Array("fees", false);
  if (fees == nullptr) return;
  std::map<std::string, std::size_t> codes;
  ForEachObject(f, "fees", *fees, [&](std::size_t i, Fields& ff) {
    Fee fee;
    fee.code = ff.String("code", true, 32);
    if (!fee.code.empty() && !IsShortCode(fee.code)) {
      ff.Report("code", "chỉ gồm chữ, số, '_', '.', '-' (tối đa 32 ký tự).",
                "may only hold letters, digits, '_', '.', '-' (32 at most).");
    } else if (!fee.code.empty() && !codes.emplace(fee.code, i).second) {
      ff.Report("code", "trùng mã với fees[" + std::to_string(codes[fee.code]) + "].",
                "duplicates the code of fees[" + std::to_string(codes[fee.code]) + "].");
    }
    fee.name = ff.String("name", true);
    fee.kind = ff.Enum("kind", kFeeKinds, true);
    if (auto amount = ff.Integer("amount", true)) {
      if (*amount < 0) {
        ff.Report("amount", "không được âm (đơn vị: đồng).", "must not be negative (in đồng).");
      } else {
        fee.amount = *amount;
      }
    }
    fee.note = ff.String("note", false, kMaxNote);
    fee.unit = ff.String("unit", false, 50);
    fee.quantity_field = ff.String("quantity_field", false, 64);
    if (fee.unit.empty() != fee.quantity_field.empty()) {
      ff.Report("unit", "và quantity_field đi cùng nhau (phí tính theo đơn vị).",
                "and quantity_field go together (a fee charged per unit).");
    }
    fee.adjustable = ff.Bool("adjustable", false);
    out.push_back(std::move(fee));
  });
}

void ReadComponents(Fields& f, std::vector<Component>& out) {
  const bj::array* components = f.Array("components", false);
  if (components == nullptr) return;
  std::map<std::string, std::size_t> codes;
  ForEachObject(f, "components", *components, [&](std::size_t i, Fields& cf) {
    Component c;
    c.code = cf.String("code", true, 32);
    if (!c.code.empty() && !IsShortCode(c.code)) {
      cf.Report("code", "chỉ gồm chữ, số, '_', '.', '-' (tối đa 32 ký tự).",
                "may only hold letters, digits, '_', '.', '-' (32 at most).");
    } else if (!c.code.empty() && !codes.emplace(c.code, i).second) {
      cf.Report("code", "trùng mã với components[" + std::to_string(codes[c.code]) + "].",
                "duplicates the code of components[" + std::to_string(codes[c.code]) + "].");
    }
    c.name = cf.String("name", true, kMaxNote);
    c.originals = cf.Count("originals");
    c.certified = cf.Count("certified");
    c.copies = cf.Count("copies");
    c.required = cf.Bool("required", true);
    if (c.required && c.originals + c.certified + c.copies == 0) {
      cf.Report("originals",
                "giấy tờ bắt buộc phải có ít nhất một bản (bản chính, bản sao chứng thực hoặc "
                "bản chụp).",
                "a required paper needs at least one copy (original, certified copy or plain "
                "copy).");
    }
    if (const bj::array* types = cf.Array("file_types", false)) {
      for (std::size_t k = 0; k < types->size(); ++k) {
        const std::string path = "file_types[" + std::to_string(k) + "]";
        const bj::value& t = (*types)[k];
        if (!t.is_string() || !OneOf(t.get_string(), kFileTypes)) {
          cf.Report(path, "phải là một trong " + ListText(kFileTypes) + ".",
                    "must be one of " + ListText(kFileTypes) + ".");
          continue;
        }
        std::string type(t.get_string());
        bool repeated = false;
        for (const std::string& seen : c.file_types) repeated = repeated || seen == type;
        if (repeated) {
          cf.Report(path, "bị lặp lại " + Quoted(type) + ".", "repeats " + Quoted(type) + ".");
          continue;
        }
        c.file_types.push_back(std::move(type));
      }
    }
    out.push_back(std::move(c));
  });
}

void ReadForm(Fields& f, std::vector<FormField>& out) {
  const bj::array* form = f.Array("form", false);
  if (form == nullptr) return;
  std::map<std::string, std::size_t> names;
  ForEachObject(f, "form", *form, [&](std::size_t i, Fields& ff) {
    FormField field;
    field.name = ff.String("name", true, 64);
    if (!field.name.empty() && !IsIdentifier(field.name)) {
      ff.Report("name", "phải khớp [a-z][a-z0-9_]* (tối đa 64 ký tự).",
                "must match [a-z][a-z0-9_]* (64 characters at most).");
    } else if (!field.name.empty() && !names.emplace(field.name, i).second) {
      ff.Report("name", "trùng tên với form[" + std::to_string(names[field.name]) + "].",
                "duplicates the name of form[" + std::to_string(names[field.name]) + "].");
    }
    field.label_vi = ff.String("label_vi", true);
    field.label_en = ff.String("label_en", true);
    field.type = ff.Enum("type", kFieldTypes, true);
    field.required = ff.Bool("required", false);
    const bool text = field.type == "text" || field.type == "textarea";
    if (auto max_length = ff.Integer("max_length", false)) {
      if (!text) {
        ff.Report("max_length", "chỉ dùng cho kiểu \"text\" và \"textarea\".",
                  "is only for types \"text\" and \"textarea\".");
      } else if (*max_length < 1 || *max_length > 100000) {
        ff.Report("max_length", "phải từ 1 đến 100000.", "must be from 1 to 100000.");
      } else {
        field.max_length = static_cast<int>(*max_length);
      }
    }
    for (std::string_view bound : {"min", "max"}) {
      auto value = ff.Number(bound, false);
      if (!value) continue;
      if (field.type != "number") {
        ff.Report(bound, "chỉ dùng cho kiểu \"number\".", "is only for type \"number\".");
      } else if (!std::isfinite(*value)) {
        ff.Report(bound, "phải là số hữu hạn.", "must be a finite number.");
      } else {
        (bound == "min" ? field.min : field.max) = *value;
      }
    }
    if (field.min && field.max && *field.min > *field.max) {
      ff.Report("min", "lớn hơn max.", "is greater than max.");
    }
    field.options = ff.Strings("options", false, kMaxName);
    if (field.type == "select" && field.options.empty()) {
      ff.Report("options", "kiểu \"select\" cần ít nhất một lựa chọn.",
                "type \"select\" needs at least one option.");
    } else if (field.type != "select" && !field.options.empty() && !field.type.empty()) {
      ff.Report("options", "chỉ dùng cho kiểu \"select\".", "is only for type \"select\".");
    }
    out.push_back(std::move(field));
  });
}

void ReadSteps(Fields& f, const SectorCodes* sectors, std::vector<Step>& out) {
  const bj::array* steps = f.Array("steps", true);
  if (steps == nullptr) return;
  if (steps->empty()) {
    f.Report("steps", "phải có ít nhất một bước (bước đầu là tiếp nhận hồ sơ).",
             "needs at least one step (the first is reception).");
    return;
  }
  std::map<std::string, std::size_t> codes;
  double total = 0;
  bool shares_ok = true;
  ForEachObject(f, "steps", *steps, [&](std::size_t i, Fields& sf) {
    Step step;
    step.code = sf.String("code", true, 64);
    if (!step.code.empty() && !IsIdentifier(step.code)) {
      sf.Report("code", "phải khớp [a-z][a-z0-9_]* (tối đa 64 ký tự).",
                "must match [a-z][a-z0-9_]* (64 characters at most).");
    } else if (!step.code.empty() && !codes.emplace(step.code, i).second) {
      sf.Report("code", "trùng mã với steps[" + std::to_string(codes[step.code]) + "].",
                "duplicates the code of steps[" + std::to_string(codes[step.code]) + "].");
    }
    step.name = sf.String("name", true);
    step.name_en = sf.String("name_en", false);
    step.role = sf.Enum("role", kRoles, true);
    if (i == 0 && !step.role.empty() && step.role != "reception") {
      sf.Report("role", "bước đầu tiên phải do bộ phận tiếp nhận (\"reception\") thực hiện.",
                "the first step must be done by \"reception\".");
    }
    step.kind = sf.Enum("kind", kStepKinds, false, "normal");
    if (const bj::object* agency = sf.Object("agency", true)) {
      Fields af(*agency, sf.subject(), sf.Path("agency") + ".", sf.problems());
      step.agency = ReadAgencyRef(af, kStepAgencyKinds, sectors);
      af.RejectUnknown();
      if (step.kind == "interagency" &&
          (step.agency.kind == "receiving" || step.agency.kind == "competent")) {
        sf.Report("agency.kind",
                  "bước liên thông phải chỉ rõ cơ quan khác (\"department\" kèm \"sector\", "
                  "\"commune\" hoặc \"province_pc\").",
                  "an interagency step must name another agency (\"department\" with "
                  "\"sector\", \"commune\" or \"province_pc\").");
      }
    }
    if (auto share = sf.Number("share", true)) {
      if (!std::isfinite(*share) || *share < 0 || *share > 1) {
        sf.Report("share", "phải từ 0 đến 1 (phần của thời hạn giải quyết).",
                  "must be between 0 and 1 (its part of the processing time).");
        shares_ok = false;
      } else {
        step.share = *share;
        total += *share;
      }
    } else {
      shares_ok = false;
    }
    out.push_back(std::move(step));
  });
  if (shares_ok && out.size() == steps->size() && std::fabs(total - 1.0) > kShareTolerance) {
    char sum[32];
    std::snprintf(sum, sizeof sum, "%.4g", total);
    f.Report("steps", std::string("tổng share của các bước phải bằng 1 (đang là ") + sum + ").",
             std::string("the shares of the steps must add up to 1 (they add up to ") + sum + ").");
  }
}

Procedure ReadProcedure(const bj::object& o, std::string_view label, const SectorCodes* sectors,
                        Problems& problems, bool with_version) {
  Fields f(o, {"Thủ tục " + std::string(label), "Procedure " + std::string(label)}, "", problems);
  Procedure p;
  p.code = f.String("code", true, 32);
  if (!p.code.empty() && !IsProcedureCode(p.code)) {
    f.Report("code",
             "phải có dạng mã TTHC quốc gia, ví dụ \"1.001193\" (1 chữ số, dấu chấm, 6 "
             "chữ số).",
             "must be a national procedure code such as \"1.001193\" (a digit, a dot, 6 digits).");
  }
  p.name = f.String("name", true);
  p.name_en = f.String("name_en", false);
  p.code_confirmed = f.Bool("code_confirmed", true);
  p.active = f.Bool("active", true);
  if (with_version) {
    if (auto version = f.Integer("version", false)) {
      if (*version < 1) {
        f.Report("version", "phải từ 1 trở lên.", "must be 1 or more.");
      } else {
        p.version = *version;
      }
    }
    const std::string at = f.String("updated_at", false, 40);
    if (!at.empty()) {
      auto t = core::ParseTimestamp(at);
      if (!t) {
        f.Report("updated_at", "phải là thời điểm ISO 8601, ví dụ \"2026-01-05T08:00:00Z\".",
                 "must be an ISO 8601 time such as \"2026-01-05T08:00:00Z\".");
      } else {
        p.updated_at = *t;
      }
    }
  }
  if (const bj::object* field = f.Object("field", true)) {
    Fields ff(*field, f.subject(), "field.", problems);
    p.field_code = ff.String("code", true, 32);
    if (!p.field_code.empty() && !IsShortCode(p.field_code)) {
      ff.Report("code", "chỉ gồm chữ, số, '_', '.', '-' (tối đa 32 ký tự).",
                "may only hold letters, digits, '_', '.', '-' (32 at most).");
    }
    p.field_name = ff.String("name", true);
    ff.RejectUnknown();
  }
  p.level = f.Enum("level", kLevels, true);
  if (const bj::object* competent = f.Object("competent", true)) {
    Fields cf(*competent, f.subject(), "competent.", problems);
    p.competent = ReadAgencyRef(cf, kCompetentKinds, sectors);
    cf.RejectUnknown();
    // The level says who may settle the procedure (Luật Tổ chức chính quyền địa phương 2025:
    // two levels): commune procedures by the commune committee, province ones above it.
    if (p.level == "commune" && !p.competent.kind.empty() && p.competent.kind != "commune") {
      f.Report("competent.kind", "thủ tục cấp xã phải do \"commune\" giải quyết.",
               "a commune-level procedure must be settled by \"commune\".");
    }
    if (p.level == "province" && p.competent.kind == "commune") {
      f.Report("competent.kind",
               "thủ tục cấp tỉnh phải do \"department\" hoặc \"province_pc\" giải quyết.",
               "a province-level procedure must be settled by \"department\" or "
               "\"province_pc\".");
    }
  }
  p.online_level = f.Enum("online_level", kOnlineLevels, true);
  if (const bj::object* time = f.Object("processing_time", true)) {
    Fields tf(*time, f.subject(), "processing_time.", problems);
    ReadProcessingTime(tf, p.processing_time);
    tf.RejectUnknown();
  }
  ReadFees(f, p.fees);
  ReadComponents(f, p.components);
  ReadForm(f, p.form);
  for (std::size_t i = 0; i < p.fees.size(); ++i) {
    const std::string& q = p.fees[i].quantity_field;
    if (q.empty()) continue;
    const auto field = std::ranges::find(p.form, q, &FormField::name);
    if (field == p.form.end() || field->type != "number") {
      f.Report("fees[" + std::to_string(i) + "].quantity_field",
               "phải là tên một trường kiểu number của tờ khai.",
               "must name a number field of the form.");
    }
  }
  p.results = f.Strings("results", true);
  p.legal_basis = f.Strings("legal_basis", false);
  ReadSteps(f, sectors, p.steps);
  f.RejectUnknown();
  return p;
}

std::vector<Sector> ReadSectors(Fields& top, SectorCodes& codes) {
  std::vector<Sector> out;
  const bj::array* sectors = top.Array("sectors", false);
  if (sectors == nullptr) return out;
  for (std::size_t i = 0; i < sectors->size(); ++i) {
    const std::string index = "sectors[" + std::to_string(i) + "]";
    if (!(*sectors)[i].is_object()) {
      top.Report(index, "phải là một đối tượng {...}.", "must be an object {...}.");
      continue;
    }
    const bj::object& o = (*sectors)[i].get_object();
    std::string label = index;
    if (auto it = o.find("code");
        it != o.end() && it->value().is_string() && !it->value().get_string().empty()) {
      label = std::string(it->value().get_string());
    }
    Fields f(o, {"Ngành " + label, "Sector " + label}, "", top.problems());
    Sector s;
    s.code = f.String("code", true, 64);
    if (!s.code.empty() && !IsIdentifier(s.code)) {
      f.Report("code", "phải khớp [a-z][a-z0-9_]* (tối đa 64 ký tự).",
               "must match [a-z][a-z0-9_]* (64 characters at most).");
    } else if (!s.code.empty() && !codes.insert(s.code).second) {
      f.Report("code", "bị trùng với một ngành khác.", "duplicates another sector's code.");
    }
    s.name = f.String("name", true);
    s.agency_code = f.String("agency_code", true, 40);
    if (!s.agency_code.empty() && !IsAgencyCode(s.agency_code)) {
      f.Report("agency_code", "phải là mã định danh cơ quan, ví dụ \"H55.03\".",
               "must be an agency code such as \"H55.03\".");
    }
    s.name_en = f.String("name_en", false);
    f.RejectUnknown();
    out.push_back(std::move(s));
  }
  return out;
}

// Parses JSON text; on a syntax error reports the line and column.
std::optional<bj::value> ParseJson(std::string_view text, Problems& problems) {
  const Subject subject = DocumentSubject();
  if (!core::IsValidUtf8(text)) {
    problems.Add(subject, "$", "không phải văn bản UTF-8 hợp lệ.", "is not valid UTF-8 text.");
    return std::nullopt;
  }
  bj::parse_options options;
  options.max_depth = 32;
  bj::stream_parser parser({}, options);
  boost::system::error_code ec;
  // write() stops at the first error and says how far it got: that is where the error is.
  const std::size_t used = parser.write(text.data(), text.size(), ec);
  if (!ec) parser.finish(ec);
  if (ec) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < used && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    const std::string where = std::to_string(line) + ":" + std::to_string(column);
    problems.Add(subject, "$", "JSON sai cú pháp ở dòng:cột " + where + " (" + ec.message() + ").",
                 "malformed JSON at line:column " + where + " (" + ec.message() + ").");
    return std::nullopt;
  }
  return parser.release();
}

void WriteDouble(double d, std::string& out) {
  if (!std::isfinite(d)) {
    out += "null";
    return;
  }
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, d);
  out.append(buffer, result.ptr);
}

bool IsPlain(const bj::value& v) { return !v.is_array() && !v.is_object(); }

void WriteValue(const bj::value& v, bool pretty, int depth, std::string& out) {
  const auto newline = [&](int d) {
    if (!pretty) return;
    out += '\n';
    out.append(static_cast<std::size_t>(d) * 2, ' ');
  };
  switch (v.kind()) {
    case bj::kind::null:
      out += "null";
      return;
    case bj::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      return;
    case bj::kind::int64:
      out += std::to_string(v.get_int64());
      return;
    case bj::kind::uint64:
      out += std::to_string(v.get_uint64());
      return;
    case bj::kind::double_:
      WriteDouble(v.get_double(), out);
      return;
    case bj::kind::string:
      out += bj::serialize(v);
      return;
    case bj::kind::array: {
      const bj::array& a = v.get_array();
      bool plain = true;
      for (const bj::value& e : a) plain = plain && IsPlain(e);
      out += '[';
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (i > 0) out += pretty && plain ? ", " : ",";
        if (!plain) newline(depth + 1);
        WriteValue(a[i], pretty, depth + 1, out);
      }
      if (!plain && !a.empty()) newline(depth);
      out += ']';
      return;
    }
    case bj::kind::object: {
      const bj::object& o = v.get_object();
      out += '{';
      bool first = true;
      for (const auto& kv : o) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        out += bj::serialize(bj::value(kv.key()));
        out += pretty ? ": " : ":";
        WriteValue(kv.value(), pretty, depth + 1, out);
      }
      if (!o.empty()) newline(depth);
      out += '}';
      return;
    }
  }
}

bj::object AgencyRefToJson(const AgencyRef& ref) {
  bj::object o;
  o["kind"] = ref.kind;
  if (!ref.sector.empty()) o["sector"] = ref.sector;
  return o;
}

bj::array StringsToJson(const std::vector<std::string>& list) {
  bj::array a;
  for (const std::string& s : list) a.emplace_back(s);
  return a;
}

}  // namespace

Error InvalidCatalog(const std::vector<Problem>& problems) {
  std::string detail;
  for (const Problem& p : problems) {
    detail += p.path + "\t" + p.vi + " | " + p.en + "\n";
  }
  const std::string count = std::to_string(problems.size());
  const Problem first = problems.empty() ? Problem{"?", "?", "$"} : problems.front();
  const std::string more_vi =
      problems.size() > 1 ? " (tổng cộng " + count + " lỗi, xem danh sách)" : "";
  const std::string more_en =
      problems.size() > 1 ? " (" + count + " problems in all, see the list)" : "";
  return MakeError(ErrorCode::kInvalidArgument, "catalog.invalid",
                   "Danh mục thủ tục không hợp lệ: " + first.vi + more_vi,
                   "The procedure catalog is invalid: " + first.en + more_en, std::move(detail));
}

bj::object ProcedureToJson(const Procedure& p, bool with_version) {
  bj::object o;
  o["code"] = p.code;
  o["name"] = p.name;
  o["name_en"] = p.name_en;
  if (!p.code_confirmed) o["code_confirmed"] = false;
  if (!p.active) o["active"] = false;
  if (with_version && (p.updated_at != core::Seconds{} || p.version != 1)) {
    o["version"] = p.version;
    if (p.updated_at != core::Seconds{}) o["updated_at"] = core::FormatTimestamp(p.updated_at);
  }
  o["field"] = bj::object{{"code", p.field_code}, {"name", p.field_name}};
  o["level"] = p.level;
  o["competent"] = AgencyRefToJson(p.competent);
  o["online_level"] = p.online_level;
  o["processing_time"] = bj::object{{"value", p.processing_time.value},
                                    {"unit", TimeUnitName(p.processing_time.unit)}};
  bj::array fees;
  for (const Fee& fee : p.fees) {
    bj::object f;
    f["code"] = fee.code;
    f["name"] = fee.name;
    f["kind"] = fee.kind;
    f["amount"] = fee.amount;
    if (!fee.note.empty()) f["note"] = fee.note;
    if (!fee.unit.empty()) f["unit"] = fee.unit;
    if (!fee.quantity_field.empty()) f["quantity_field"] = fee.quantity_field;
    if (fee.adjustable) f["adjustable"] = true;
    fees.emplace_back(std::move(f));
  }
  o["fees"] = std::move(fees);
  bj::array components;
  for (const Component& c : p.components) {
    bj::object j;
    j["code"] = c.code;
    j["name"] = c.name;
    j["originals"] = c.originals;
    j["certified"] = c.certified;
    j["copies"] = c.copies;
    j["required"] = c.required;
    if (!c.file_types.empty()) j["file_types"] = StringsToJson(c.file_types);
    components.emplace_back(std::move(j));
  }
  o["components"] = std::move(components);
  bj::array form;
  for (const FormField& field : p.form) {
    bj::object j;
    j["name"] = field.name;
    j["label_vi"] = field.label_vi;
    j["label_en"] = field.label_en;
    j["type"] = field.type;
    j["required"] = field.required;
    if (field.max_length != 0) j["max_length"] = field.max_length;
    if (field.min) j["min"] = *field.min;
    if (field.max) j["max"] = *field.max;
    if (!field.options.empty()) j["options"] = StringsToJson(field.options);
    form.emplace_back(std::move(j));
  }
  o["form"] = std::move(form);
  o["results"] = StringsToJson(p.results);
  o["legal_basis"] = StringsToJson(p.legal_basis);
  bj::array steps;
  for (const Step& s : p.steps) {
    bj::object j;
    j["code"] = s.code;
    j["name"] = s.name;
    j["name_en"] = s.name_en;
    j["role"] = s.role;
    j["agency"] = AgencyRefToJson(s.agency);
    j["share"] = s.share;
    j["kind"] = s.kind;
    steps.emplace_back(std::move(j));
  }
  o["steps"] = std::move(steps);
  return o;
}

bj::object SectorToJson(const Sector& s) {
  bj::object o{{"code", s.code}, {"name", s.name}, {"agency_code", s.agency_code}};
  if (!s.name_en.empty()) o["name_en"] = s.name_en;
  return o;
}

std::string Write(const bj::value& value, bool pretty) {
  std::string out;
  WriteValue(value, pretty, 0, out);
  return out;
}

Result<Procedure> ParseStoredProcedure(std::string_view json_text) {
  Problems problems;
  auto value = ParseJson(json_text, problems);
  if (value && !value->is_object()) {
    problems.Add(DocumentSubject(), "$", "không phải đối tượng.", "is not an object.");
  }
  if (!problems.empty()) return InternalError("stored procedure: " + problems.list()[0].en);
  Procedure p = ReadProcedure(value->get_object(), "(stored)", nullptr, problems, false);
  if (!problems.empty()) {
    return InternalError("stored procedure " + p.code + ": " + problems.list()[0].en);
  }
  return p;
}

bool SameContent(const Procedure& a, const Procedure& b) {
  Procedure b_like_a = b;
  b_like_a.version = a.version;
  b_like_a.updated_at = a.updated_at;
  return a == b_like_a;
}

Error ProcedureNotFound(std::string_view code) {
  return MakeError(ErrorCode::kNotFound, "catalog.procedure_not_found",
                   "Không có thủ tục hành chính mã " + Quoted(code) + " trong danh mục.",
                   "No administrative procedure with code " + Quoted(code) + " in the catalog.");
}

Error SectorNotFound(std::string_view code) {
  return MakeError(ErrorCode::kNotFound, "catalog.sector_not_found",
                   "Không có ngành " + Quoted(code) + " trong danh mục.",
                   "No sector " + Quoted(code) + " in the catalog.");
}

Error FileMissing(std::string_view path) {
  return MakeError(ErrorCode::kNotFound, "catalog.file_missing",
                   "Không đọc được tệp danh mục " + Quoted(path) + ".",
                   "Cannot read the catalog file " + Quoted(path) + ".");
}

Error TooLarge(std::size_t bytes) {
  return MakeError(ErrorCode::kInvalidArgument, "catalog.too_large",
                   "Tài liệu danh mục quá lớn (" + std::to_string(bytes) + " byte, tối đa " +
                       std::to_string(kMaxDocumentBytes) + ").",
                   "The catalog document is too large (" + std::to_string(bytes) +
                       " bytes, at most " + std::to_string(kMaxDocumentBytes) + ").");
}

}  // namespace internal

std::string_view TimeUnitName(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::kWorkingDays:
      return "working_days";
    case TimeUnit::kDays:
      return "days";
    case TimeUnit::kHours:
      return "hours";
  }
  return "working_days";
}

std::int64_t Procedure::TotalFee() const {
  std::int64_t total = 0;
  for (const Fee& fee : fees) total += fee.amount;
  return total;
}

std::int64_t Procedure::Quantity(const Fee& fee, const boost::json::object& answers) const {
  if (fee.quantity_field.empty()) return 1;
  const boost::json::value* v = answers.if_contains(fee.quantity_field);
  // The form's check keeps a number field within its bounds; fewer than one still pays once.
  double n = 1;
  if (v != nullptr && v->is_number()) n = v->to_number<double>();
  if (v != nullptr && v->is_string()) n = std::atof(v->as_string().c_str());
  return std::isfinite(n) && n >= 1 ? static_cast<std::int64_t>(std::min(n, 1e6)) : 1;
}

std::int64_t Procedure::FeeFor(const boost::json::object& answers) const {
  std::int64_t total = 0;
  for (const Fee& fee : fees) total += fee.amount * Quantity(fee, answers);
  return total;
}

bool Procedure::FeeAdjustable() const { return std::ranges::any_of(fees, &Fee::adjustable); }

bool Procedure::NeedsCommune() const {
  return competent.kind == "commune" || std::any_of(steps.begin(), steps.end(), [](const Step& s) {
           return s.agency.kind == "commune";
         });
}

const Component* Procedure::FindComponent(std::string_view component_code) const {
  for (const Component& c : components) {
    if (c.code == component_code) return &c;
  }
  return nullptr;
}

Result<Catalog> Parse(std::string_view json_text) {
  using internal::Problems;
  if (json_text.size() > internal::kMaxDocumentBytes) return internal::TooLarge(json_text.size());
  Problems problems;
  auto value = internal::ParseJson(json_text, problems);
  if (!value) return internal::InvalidCatalog(problems.list());
  if (!value->is_object()) {
    problems.Add(internal::DocumentSubject(), "$", "phải là một đối tượng {...}.",
                 "must be an object {...}.");
    return internal::InvalidCatalog(problems.list());
  }
  internal::Fields top(value->get_object(), internal::DocumentSubject(), "", problems);
  (void)top.String("about", false, 10000, false);
  Catalog catalog;
  internal::SectorCodes sector_codes;
  catalog.sectors = internal::ReadSectors(top, sector_codes);
  if (const boost::json::array* procedures = top.Array("procedures", true)) {
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < procedures->size(); ++i) {
      const std::string index = "procedures[" + std::to_string(i) + "]";
      const boost::json::value& v = (*procedures)[i];
      if (!v.is_object()) {
        top.Report(index, "phải là một đối tượng {...}.", "must be an object {...}.");
        continue;
      }
      std::string label = index;
      if (auto it = v.get_object().find("code"); it != v.get_object().end() &&
                                                 it->value().is_string() &&
                                                 !it->value().get_string().empty()) {
        label = std::string(it->value().get_string());
      }
      Procedure p = internal::ReadProcedure(v.get_object(), label, &sector_codes, problems, true);
      if (!p.code.empty()) {
        auto [it, inserted] = seen.emplace(p.code, i);
        if (!inserted) {
          problems.Add({"Thủ tục " + label, "Procedure " + label}, "code",
                       "trùng mã với procedures[" + std::to_string(it->second) + "].",
                       "duplicates the code of procedures[" + std::to_string(it->second) + "].");
        }
      }
      catalog.procedures.push_back(std::move(p));
    }
  }
  top.RejectUnknown();
  if (!problems.empty()) return internal::InvalidCatalog(problems.list());
  return catalog;
}

std::string ToJson(const Catalog& catalog) {
  boost::json::array sectors;
  for (const Sector& s : catalog.sectors) sectors.emplace_back(internal::SectorToJson(s));
  boost::json::array procedures;
  for (const Procedure& p : catalog.procedures) {
    procedures.emplace_back(internal::ProcedureToJson(p, true));
  }
  boost::json::object root;
  root["sectors"] = std::move(sectors);
  root["procedures"] = std::move(procedures);
  return internal::Write(root, true) + "\n";
}

AgencyName CompetentName(const Procedure& p, const Sector* sector) {
  if (p.competent.kind == "commune")
    return {"Ủy ban nhân dân cấp xã", "Commune People's Committee"};
  if (p.competent.kind == "province_pc") {
    return {"Ủy ban nhân dân tỉnh", "Provincial People's Committee"};
  }
  if (sector == nullptr) return {};
  return {sector->name, sector->name_en.empty() ? sector->name : sector->name_en};
}

}  // namespace tinhso::catalog
