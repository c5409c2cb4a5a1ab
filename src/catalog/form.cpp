// ValidateForm: checks one applicant's answers against a procedure's electronic form.

#include <boost/json/object.hpp>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "auth/identity.hpp"
#include "catalog/catalog.hpp"
#include "core/json.hpp"
#include "core/parse.hpp"
#include "core/text.hpp"

namespace tinhso::catalog {
namespace {

namespace bj = boost::json;

// Text fields without an explicit max_length.
constexpr std::size_t kDefaultMaxLength = 500;

struct FormProblem {
  std::string vi;
  std::string en;
  std::string line;  // for Error::detail: "field_name: what"
  FieldProblem own;  // the same, as shown under the field
};

std::string Quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::size_t CodePoints(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

// Control characters; a textarea may hold line breaks and tabs.
bool HasControl(std::string_view s, bool multiline) {
  for (unsigned char c : s) {
    if (multiline && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7F) return true;
  }
  return false;
}

bool IsBlank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

// A Vietnamese phone number: 0 or +84 followed by 9 or 10 digits (mobile numbers have 10 digits
// in all, landlines 11 since 2017); spaces, dots and hyphens between digit groups are ignored.
bool IsPhone(std::string_view s) {
  std::string digits;
  std::size_t i = 0;
  if (s.starts_with("+84")) {
    digits = "0";
    i = 3;
  }
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c != ' ' && c != '.' && c != '-') {
      return false;
    }
  }
  return digits.size() >= 10 && digits.size() <= 11 && digits[0] == '0';
}

// Deliberately loose (RFC 5322 allows much more than any form needs): one '@', a non-empty
// local part, a domain with a dot and no empty label, no spaces, at most 254 characters.
bool IsEmail(std::string_view s) {
  if (s.size() > 254 || s.find_first_of(" \t\r\n,;<>\"") != std::string_view::npos) return false;
  const auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = s.substr(at + 1);
  if (domain.empty() || domain.front() == '.' || domain.back() == '.' ||
      domain.find('.') == std::string_view::npos || domain.find("..") != std::string_view::npos) {
    return false;
  }
  return true;
}

std::string OptionsText(const std::vector<std::string>& options) {
  std::string out;
  for (const std::string& o : options) {
    if (!out.empty()) out += ", ";
    out += Quoted(o);
  }
  return out;
}

std::string NumberText(double d) {
  if (std::floor(d) == d && std::fabs(d) < 1e15) {
    return std::to_string(static_cast<long long>(d));
  }
  return std::to_string(d);
}

class Checker {
 public:
  Checker(const FormField& field, int this_year) : field_(field), this_year_(this_year) {}

  void Fail(std::string_view why_vi, std::string_view why_en, std::string_view short_en) {
    problems.push_back({"Trường " + Quoted(field_.label_vi) + " " + std::string(why_vi),
                        "Field " + Quoted(field_.label_en) + " " + std::string(why_en),
                        field_.name + ": " + std::string(short_en),
                        {field_.name, field_.label_vi + " " + std::string(why_vi),
                         LabelEn() + " " + std::string(why_en)}});
  }

  // What to do, as GOV.UK words it ("Nhập họ tên trẻ", not "Trường bắt buộc").
  void FailRequired() {
    Fail("là bắt buộc.", "is required.", "required");
    FieldProblem& own = problems.back().own;
    const std::string vi = core::LowerFirst(field_.label_vi);
    const std::string en = core::LowerFirst(LabelEn());
    if (field_.type == "select") {
      own.message_vi = "Chọn " + vi;
      own.message_en = "Choose " + en;
    } else if (field_.type == "boolean") {
      own.message_vi = "Đánh dấu ô “" + field_.label_vi + "”";
      own.message_en = "Tick “" + LabelEn() + "”";
    } else {
      own.message_vi = "Nhập " + vi;
      own.message_en = "Enter " + en;
    }
  }

  void FailFutureBirth(std::string_view cccd) {
    const std::string year = std::to_string(auth::CccdBirthYear(cccd).value_or(0));
    Fail("ghi năm sinh " + year + ", sau năm hiện tại: hãy kiểm tra lại số định danh cá nhân.",
         "gives the birth year " + year + ", after the current year: check the number.",
         "CCCD born in the future");
  }

  // Checks one present value.
  void Check(const bj::value& v) {
    const std::string& type = field_.type;
    if (type == "boolean") {
      if (!v.is_bool()) Fail("phải là có/không (true/false).", "must be true or false.", "bool");
      return;
    }
    if (type == "number") {
      CheckNumber(v);
      return;
    }
    if (!v.is_string()) {
      Fail("phải là chuỗi ký tự.", "must be text.", "not a string");
      return;
    }
    const std::string_view s = v.get_string();
    if (type == "text" || type == "textarea") {
      const std::size_t limit =
          field_.max_length > 0 ? static_cast<std::size_t>(field_.max_length) : kDefaultMaxLength;
      if (CodePoints(s) > limit) {
        Fail("dài quá " + std::to_string(limit) + " ký tự.",
             "is longer than " + std::to_string(limit) + " characters.", "too long");
      }
      if (HasControl(s, type == "textarea")) {
        Fail(type == "text" ? "không được xuống dòng hay chứa ký tự điều khiển."
                            : "không được chứa ký tự điều khiển.",
             type == "text" ? "must be a single line without control characters."
                            : "must not contain control characters.",
             "control characters");
      }
    } else if (type == "date") {
      if (!core::ParseDate(s)) {
        Fail("phải là một ngày có thật, viết YYYY-MM-DD (ví dụ 2026-03-15).",
             "must be a real date written YYYY-MM-DD (e.g. 2026-03-15).", "bad date");
      }
    } else if (type == "select") {
      bool found = false;
      for (const std::string& option : field_.options) found = found || option == s;
      if (!found) {
        Fail("phải là một trong các lựa chọn: " + OptionsText(field_.options) + ".",
             "must be one of the options: " + OptionsText(field_.options) + ".", "not an option");
      }
    } else if (type == "cccd") {
      if (!auth::HasCccdShape(s)) {
        Fail("phải là số định danh cá nhân (căn cước) gồm 12 chữ số hợp lệ.",
             "must be a valid 12-digit personal identification (citizen ID) number.", "bad CCCD");
      } else if (!auth::IsValidCccd(s, this_year_)) {
        FailFutureBirth(s);
      }
    } else if (type == "tax_code") {
      // Since 1/7/2025 household businesses and individuals use their CCCD as tax code
      // (Thông tư 86/2024/TT-BTC), so a valid CCCD is a valid tax code too.
      if (!auth::IsValidTaxCode(s) && auth::HasCccdShape(s) && !auth::IsValidCccd(s, this_year_)) {
        FailFutureBirth(s);
      } else if (!auth::IsValidTaxCode(s) && !auth::HasCccdShape(s)) {
        Fail(
            "phải là mã số thuế hợp lệ (10 chữ số, hoặc 13 ký tự dạng NNNNNNNNNN-NNN, hoặc số "
            "định danh cá nhân 12 chữ số).",
            "must be a valid tax code (10 digits, NNNNNNNNNN-NNN for a branch, or a 12-digit "
            "personal identification number).",
            "bad tax code");
      }
    } else if (type == "phone") {
      if (!IsPhone(s)) {
        Fail("phải là số điện thoại Việt Nam (10 hoặc 11 chữ số, bắt đầu bằng 0 hoặc +84).",
             "must be a Vietnamese phone number (10 or 11 digits starting with 0 or +84).",
             "bad phone");
      }
    } else if (type == "email") {
      if (!IsEmail(s)) {
        Fail("phải là địa chỉ thư điện tử hợp lệ.", "must be a valid e-mail address.",
             "bad e-mail");
      }
    }
  }

  std::vector<FormProblem> problems;

 private:
  void CheckNumber(const bj::value& v) {
    if (!v.is_number()) {
      Fail("phải là số.", "must be a number.", "not a number");
      return;
    }
    const double d = v.to_number<double>();
    if (!std::isfinite(d)) {
      Fail("phải là số hữu hạn.", "must be a finite number.", "not finite");
      return;
    }
    if (field_.min && d < *field_.min) {
      Fail("không được nhỏ hơn " + NumberText(*field_.min) + ".",
           "must not be less than " + NumberText(*field_.min) + ".", "below min");
    }
    if (field_.max && d > *field_.max) {
      Fail("không được lớn hơn " + NumberText(*field_.max) + ".",
           "must not be greater than " + NumberText(*field_.max) + ".", "above max");
    }
  }

  std::string LabelEn() const {
    return field_.label_en.empty() ? field_.label_vi : field_.label_en;
  }

  const FormField& field_;
  int this_year_;
};

Error FormInvalid(const std::vector<FormProblem>& problems) {
  std::string vi = "Tờ khai chưa hợp lệ:";
  std::string en = "The form is not valid:";
  std::string detail;
  for (const FormProblem& p : problems) {
    vi += " " + p.vi;
    en += " " + p.en;
    detail += p.line + "\n";
  }
  return MakeError(ErrorCode::kInvalidArgument, "dossier.form_invalid", std::move(vi),
                   std::move(en), std::move(detail));
}

// Missing, null and blank text all mean "not answered".
const bj::value* Answer(const bj::object& answers, std::string_view name) {
  auto it = answers.find(name);
  if (it == answers.end() || it->value().is_null() ||
      (it->value().is_string() && IsBlank(it->value().get_string()))) {
    return nullptr;
  }
  return &it->value();
}

std::vector<FormProblem> Problems(const FormField& field, const bj::value* answer, int this_year) {
  Checker checker(field, this_year);
  if (answer == nullptr) {
    if (field.required) checker.FailRequired();
  } else {
    checker.Check(*answer);
  }
  return std::move(checker.problems);
}

}  // namespace

std::optional<FieldProblem> CheckAnswer(const FormField& field, const bj::value* answer,
                                        int this_year) {
  auto problems = Problems(field, answer, this_year);
  if (problems.empty()) return std::nullopt;
  return std::move(problems.front().own);
}

std::vector<FieldProblem> CheckForm(const Procedure& procedure, std::string_view form_json,
                                    int this_year) {
  auto parsed = json::ParseObject(form_json, 8);
  if (!parsed.ok()) {
    return {{"", "Tờ khai không đọc được: " + parsed.error().message_vi,
             "The form cannot be read: " + parsed.error().message_en}};
  }
  std::vector<FieldProblem> out;
  for (const FormField& field : procedure.form) {
    if (auto p = CheckAnswer(field, Answer(*parsed, field.name), this_year)) {
      out.push_back(std::move(*p));
    }
  }
  return out;
}

Result<void> ValidateForm(const Procedure& procedure, std::string_view form_json, int this_year) {
  auto parsed = json::ParseObject(form_json, 8);
  if (!parsed.ok()) {
    const Error& e = parsed.error();
    return MakeError(ErrorCode::kInvalidArgument, "dossier.form_invalid",
                     "Tờ khai không đọc được: " + e.message_vi,
                     "The form cannot be read: " + e.message_en, e.reason);
  }
  const bj::object& answers = *parsed;
  std::vector<FormProblem> problems;

  for (const auto& kv : answers) {
    bool known = false;
    for (const FormField& f : procedure.form) known = known || f.name == kv.key();
    if (!known) {
      const std::string key(kv.key());
      problems.push_back(
          {"Trường " + Quoted(key) + " không có trong tờ khai của thủ tục " + procedure.code + ".",
           "Field " + Quoted(key) + " is not part of the form of procedure " + procedure.code + ".",
           key + ": unknown field"});
    }
  }

  for (const FormField& field : procedure.form) {
    auto mine = Problems(field, Answer(answers, field.name), this_year);
    problems.insert(problems.end(), mine.begin(), mine.end());
  }

  if (!problems.empty()) return FormInvalid(problems);
  return Ok();
}

}  // namespace tinhso::catalog
