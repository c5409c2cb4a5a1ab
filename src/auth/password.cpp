// The quality of a new password: our own rules (length in characters, no control characters,
// not the login or the holder's name) and then libpwquality, whose verdict comes from cracklib's
// dictionary of common words and patterns and from its own checks (repetition, sequences, the
// previous password). Its reasons are mapped to our reason codes and messages: its English text
// never reaches a user.
#include <pwquality.h>

#include <memory>
#include <mutex>

#include "auth/auth.hpp"
#include "core/text.hpp"

namespace tinhso::auth {
namespace {

constexpr std::size_t kMinPasswordChars = 8;
constexpr std::size_t kMaxPasswordBytes = 256;
// A name or login shorter than this is too likely to occur by chance in a good password.
constexpr std::size_t kMinPersonalRun = 4;
// Common Vietnamese passwords that cracklib's English dictionary does not know; pwquality
// refuses a password containing any of them (also reversed or in another case).
constexpr const char* kBadWords = "matkhau anhyeuem emyeuanh yeuem dichvucong";
// A password that passes every check when the dictionary can be read (see below).
constexpr const char* kCanary = "kiem-tra-tu-dien-Q7x";

Error Invalid(std::string reason, std::string vi, std::string en) {
  return MakeError(ErrorCode::kInvalidArgument, std::move(reason), std::move(vi), std::move(en));
}

Error TooShort() {
  return Invalid("auth.password_too_short", "Mật khẩu phải có ít nhất 8 ký tự.",
                 "The password must be at least 8 characters long.");
}
Error ContainsLogin() {
  return Invalid("auth.password_contains_login",
                 "Mật khẩu không được chứa tên đăng nhập (kể cả viết ngược hay đổi chữ hoa).",
                 "The password must not contain the user name (not even backwards or in another "
                 "case).");
}
Error ContainsName() {
  return Invalid("auth.password_contains_name",
                 "Mật khẩu không được chứa họ tên của chủ tài khoản.",
                 "The password must not contain the account holder's name.");
}
Error Reused() {
  return Invalid("auth.password_reused",
                 "Mật khẩu mới phải khác mật khẩu đang dùng (không chỉ khác chữ hoa, chữ thường "
                 "hay thứ tự xoay vòng).",
                 "The new password must differ from the current one (not only in upper and lower "
                 "case or by rotating it).");
}
Error Common() {
  return Invalid("auth.password_common",
                 "Mật khẩu quá dễ đoán: là mật khẩu phổ biến, một từ trong từ điển hoặc một dãy "
                 "có quy luật (như 12345678, abcdefgh, qwerty, matkhau). Hãy chọn một cụm vài từ "
                 "mà người khác khó đoán.",
                 "The password is too easy to guess: a common password, a dictionary word or a "
                 "pattern (like 12345678, abcdefgh, qwerty). Choose a phrase of a few words that "
                 "others would not guess.");
}
Error TooSimple() {
  return Invalid("auth.password_too_simple",
                 "Mật khẩu quá đơn giản (ngắn, lặp lại hoặc ít loại ký tự). Hãy dùng mật khẩu dài "
                 "hơn, ví dụ một cụm vài từ nối bằng dấu gạch.",
                 "The password is too simple (short, repetitive or with little variety). Use a "
                 "longer one, for example a few words joined by hyphens.");
}

// The number of characters (code points) of `s`, read as UTF-8 (checked separately), and
// whether any is a control character.
std::size_t CountCharactersWithoutControls(std::string_view s, bool* has_control) {
  std::size_t chars = 0;
  *has_control = false;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = b;
    std::size_t len = 1;
    if (b >= 0xF0) {
      len = 4;
      cp = b & 0x07;
    } else if (b >= 0xE0) {
      len = 3;
      cp = b & 0x0F;
    } else if (b >= 0xC0) {
      len = 2;
      cp = b & 0x1F;
    }
    for (std::size_t k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    // C0 controls (NUL, tab, line breaks…), DEL and the C1 controls.
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) *has_control = true;
    i += len;
    ++chars;
  }
  return chars;
}

// Lower case, no diacritics, letters and digits only: "Nguyễn Văn-An" → "nguyenvanan".
std::string Fold(std::string_view s) {
  std::string key = core::SearchKey(s);
  std::erase(key, ' ');
  return key;
}

// Whether the password contains the holder's name: any run of consecutive words of it that
// makes at least kMinPersonalRun letters ("Lê Văn An": "levan", "vanan", "levanan"; "Nguyễn":
// "nguyen"), compared without case or diacritics.
bool ContainsNameOf(const std::string& folded_password, std::string_view full_name) {
  const std::vector<std::string> words = core::SearchTokens(full_name);
  for (std::size_t first = 0; first < words.size(); ++first) {
    std::string run;
    for (std::size_t last = first; last < words.size(); ++last) {
      run += words[last];
      if (run.size() >= kMinPersonalRun && folded_password.find(run) != std::string::npos) {
        return true;
      }
    }
  }
  return false;
}

struct SettingsDeleter {
  void operator()(pwquality_settings_t* s) const { pwquality_free_settings(s); }
};
using Settings = std::unique_ptr<pwquality_settings_t, SettingsDeleter>;

// Our settings, never the host's /etc/security/pwquality.conf: the rules are the application's.
Result<Settings> MakeSettings() {
  Settings s(pwquality_default_settings());
  if (!s) return InternalError("pwquality_default_settings failed");
  if (pwquality_set_int_value(s.get(), PWQ_SETTING_MIN_LENGTH, kMinPasswordChars) != 0 ||
      pwquality_set_int_value(s.get(), PWQ_SETTING_DICT_CHECK, 1) != 0 ||
      pwquality_set_int_value(s.get(), PWQ_SETTING_USER_CHECK, 1) != 0 ||
      // The GECOS check reads the host's passwd database, which holds none of our accounts.
      pwquality_set_int_value(s.get(), PWQ_SETTING_GECOS_CHECK, 0) != 0 ||
      pwquality_set_str_value(s.get(), PWQ_SETTING_BAD_WORDS, kBadWords) != 0) {
    return InternalError("pwquality settings refused");
  }
  return s;
}

// cracklib is not documented as thread-safe, and passwords are set rarely: one check at a time.
std::mutex pwquality_mu;

// pwquality's score (0–100), or its negative error code.
int RunPwquality(pwquality_settings_t* settings, const std::string& password,
                 const std::string* previous, const std::string& login) {
  void* aux = nullptr;
  const int r = pwquality_check(settings, password.c_str(), previous ? previous->c_str() : nullptr,
                                login.empty() ? nullptr : login.c_str(), &aux);
  // Only some errors allocate `aux`; pwquality_strerror frees it.
  char buf[PWQ_MAX_ERROR_MESSAGE_LEN];
  if (r < 0) (void)pwquality_strerror(buf, sizeof buf, r, aux);
  return r;
}

}  // namespace

Result<void> CheckNewPassword(std::string_view password, const PasswordContext& context,
                              int min_score) {
  if (password.size() > kMaxPasswordBytes) {
    return Invalid("auth.password_too_long", "Mật khẩu dài quá 256 byte.",
                   "The password is longer than 256 bytes.");
  }
  bool has_control = false;
  const std::size_t chars = CountCharactersWithoutControls(password, &has_control);
  if (!core::IsValidUtf8(password) || has_control) {
    return Invalid("auth.password_invalid_character",
                   "Mật khẩu không được chứa ký tự điều khiển (như NUL, tab hay xuống dòng) hoặc "
                   "byte không phải UTF-8.",
                   "The password must not contain control characters (such as NUL, a tab or a "
                   "line break) or bytes that are not UTF-8.");
  }
  if (chars < kMinPasswordChars) return TooShort();

  const std::string folded = Fold(password);
  const std::string folded_login = Fold(context.login);
  if (folded_login.size() >= kMinPersonalRun && folded.find(folded_login) != std::string::npos) {
    return ContainsLogin();
  }
  if (ContainsNameOf(folded, context.full_name)) return ContainsName();
  if (context.previous && *context.previous == password) return Reused();

  const std::string pw(password);
  const std::string login(context.login);
  const std::string previous(context.previous.value_or(""));
  int score = 0;
  {
    std::lock_guard lock(pwquality_mu);
    TINHSO_ASSIGN_OR_RETURN(Settings settings, MakeSettings());
    score = RunPwquality(settings.get(), pw, context.previous ? &previous : nullptr, login);
    if (score == PWQ_ERROR_CRACKLIB_CHECK &&
        RunPwquality(settings.get(), kCanary, nullptr, {}) == PWQ_ERROR_CRACKLIB_CHECK) {
      // Every password fails: the dictionary itself cannot be read. Refusing the user's
      // password for that would send them looking for a fault that is not theirs.
      return MakeError(ErrorCode::kUnavailable, "auth.password_check_unavailable",
                       "Không kiểm tra được độ mạnh của mật khẩu (thiếu từ điển cracklib trên máy "
                       "chủ). Vui lòng báo quản trị hệ thống.",
                       "The password's strength cannot be checked (cracklib's dictionary is "
                       "missing on the server). Please tell the system administrator.",
                       "cracklib dictionary unreadable: install cracklib-runtime");
    }
  }
  switch (score) {
    case PWQ_ERROR_MIN_LENGTH:
      return TooShort();
    case PWQ_ERROR_USER_CHECK:
      return ContainsLogin();
    case PWQ_ERROR_GECOS_CHECK:
      return ContainsName();
    case PWQ_ERROR_SAME_PASSWORD:
    case PWQ_ERROR_CASE_CHANGES_ONLY:
    case PWQ_ERROR_ROTATED:
    case PWQ_ERROR_TOO_SIMILAR:
      return Reused();
    case PWQ_ERROR_CRACKLIB_CHECK:
    case PWQ_ERROR_BAD_WORDS:
      return Common();
    case PWQ_ERROR_MEM_ALLOC:
    case PWQ_ERROR_FATAL_FAILURE:
      return InternalError("pwquality_check failed: " + std::to_string(score));
    default:
      break;
  }
  // Every other refusal (a palindrome, repeats, sequences, too few classes) and a low score.
  if (score < 0 || score < min_score) return TooSimple();
  return Ok();
}

}  // namespace tinhso::auth
