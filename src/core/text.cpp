#include "core/text.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <new>
#include <vector>

namespace tinhso::core {
namespace {

constexpr char32_t kReplacement = 0xFFFD;
constexpr char32_t kInvalid = 0xFFFFFFFF;

bool InRange(unsigned char c, unsigned char lo, unsigned char hi) { return c >= lo && c <= hi; }

// Decodes the code point at `s[i]` and advances `i` past it. On an ill-formed sequence returns
// kInvalid and advances one byte, so that the caller can resynchronise on the next byte.
// The byte ranges are RFC 3629's table, which rules out overlong forms and surrogates by the
// second byte rather than after decoding.
char32_t Decode(std::string_view s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t len = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (InRange(b0, 0xC2, 0xDF)) {
    len = 2;
  } else if (b0 == 0xE0) {
    len = 3;
    lo = 0xA0;  // below is overlong
  } else if (b0 == 0xED) {
    len = 3;
    hi = 0x9F;  // above are the surrogates U+D800..U+DFFF
  } else if (InRange(b0, 0xE1, 0xEF)) {
    len = 3;
  } else if (b0 == 0xF0) {
    len = 4;
    lo = 0x90;  // below is overlong
  } else if (b0 == 0xF4) {
    len = 4;
    hi = 0x8F;  // nothing above U+10FFFF
  } else if (InRange(b0, 0xF1, 0xF3)) {
    len = 4;
  } else {
    ++i;  // a continuation byte out of place, C0/C1 (always overlong) or F5..FF
    return kInvalid;
  }
  if (i + len > s.size() || !InRange(byte(i + 1), lo, hi)) {
    ++i;
    return kInvalid;
  }
  char32_t cp = b0 & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
  cp = (cp << 6) | (byte(i + 1) & 0x3F);
  for (std::size_t k = 2; k < len; ++k) {
    if (!InRange(byte(i + k), 0x80, 0xBF)) {
      ++i;
      return kInvalid;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += len;
  return cp;
}

void Append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// The input with every invalid byte replaced by U+FFFD, so utf8proc (which refuses invalid
// input as a whole) can process the rest.
std::string Sanitize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const char32_t cp = Decode(s, i);
    Append(out, cp == kInvalid ? kReplacement : cp);
  }
  return out;
}

bool IsApostrophe(char32_t cp) {
  // ASCII ', the typographic ’ and ‘ that word processors substitute, and the modifier
  // letter ʼ. Found inside Central Highlands names: K'Bang, Ea H'Leo, Đắk R'Lấp.
  return cp == 0x27 || cp == 0x2018 || cp == 0x2019 || cp == 0x02BC;
}

bool IsWordChar(char32_t cp) {
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

// Folds one code point for search keys into `out` (decomposition, case folding, marks
// removed). Returns the number of code points written; grows `out` when it is too small.
std::size_t Fold(char32_t cp, std::vector<utf8proc_int32_t>& out) {
  constexpr auto kOptions =
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                     UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
  for (;;) {
    int boundclass = UTF8PROC_BOUNDCLASS_START;
    const utf8proc_ssize_t n =
        utf8proc_decompose_char(static_cast<utf8proc_int32_t>(cp), out.data(),
                                static_cast<utf8proc_ssize_t>(out.size()), kOptions, &boundclass);
    if (n < 0) return 0;  // cannot happen for a valid code point; drop it rather than fail
    if (static_cast<std::size_t>(n) <= out.size()) return static_cast<std::size_t>(n);
    out.resize(static_cast<std::size_t>(n));  // utf8proc reports the size it needs
  }
}

}  // namespace

bool IsValidUtf8(std::string_view utf8) {
  for (std::size_t i = 0; i < utf8.size();) {
    if (Decode(utf8, i) == kInvalid) return false;
  }
  return true;
}

std::string ToNfc(std::string_view utf8) {
  if (IsAscii(utf8)) return std::string(utf8);  // ASCII is already NFC
  const std::string clean = Sanitize(utf8);
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(clean.data()),
                   static_cast<utf8proc_ssize_t>(clean.size()), &mapped,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) {
    // The input is valid after Sanitize, so the only failure left is running out of memory.
    throw std::bad_alloc();
  }
  std::string out(reinterpret_cast<const char*>(mapped), static_cast<std::size_t>(n));
  std::free(mapped);
  return out;
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string SearchKey(std::string_view utf8) {
  std::string key;
  key.reserve(utf8.size());
  std::vector<utf8proc_int32_t> folded(32);
  bool gap = false;  // a separator was seen since the last word character
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t cp = Decode(utf8, i);
    if (cp == kInvalid) cp = kReplacement;
    const std::size_t n = Fold(cp, folded);
    for (std::size_t k = 0; k < n; ++k) {
      auto c = static_cast<char32_t>(folded[k]);
      // "đ" has no decomposition in Unicode (it is a letter of its own, not d + a mark), so
      // folding it is our job. "ð" (U+00F0, from Đ typed as the look-alike Icelandic Ð U+00D0)
      // turns up in text converted from the old TCVN3/VNI fonts.
      if (c == 0x0111 || c == 0x00F0) c = U'd';
      if (IsApostrophe(c)) continue;
      if (!IsWordChar(c)) {
        gap = true;
        continue;
      }
      if (gap && !key.empty()) key += ' ';
      gap = false;
      Append(key, c);
    }
  }
  return key;
}

std::string Unaccented(std::string_view utf8) {
  if (IsAscii(utf8)) return std::string(utf8);
  // Decompose, drop the combining marks, recompose what is left (nothing Vietnamese is).
  const std::string nfc = ToNfc(utf8);
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(nfc.data()),
      static_cast<utf8proc_ssize_t>(nfc.size()), &mapped,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_STRIPMARK));
  if (n < 0) throw std::bad_alloc();  // valid input: only memory can run out
  const std::string_view stripped(reinterpret_cast<const char*>(mapped),
                                  static_cast<std::size_t>(n));
  std::string out;
  out.reserve(stripped.size());
  for (std::size_t i = 0; i < stripped.size();) {
    const char32_t cp = Decode(stripped, i);
    // "đ" is a letter of its own in Unicode, not d with a mark.
    Append(out, cp == 0x0111 ? U'd' : cp == 0x0110 ? U'D' : cp);
  }
  std::free(mapped);
  return out;
}

std::u32string CodePoints(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size();) {
    const char32_t cp = Decode(utf8, i);
    out.push_back(cp == kInvalid ? kReplacement : cp);
  }
  return out;
}

std::vector<std::string> SearchTokens(std::string_view utf8) {
  std::vector<std::string> tokens;
  const std::string key = SearchKey(utf8);
  std::size_t start = 0;
  while (start < key.size()) {
    std::size_t end = key.find(' ', start);
    if (end == std::string::npos) end = key.size();
    tokens.emplace_back(key, start, end - start);
    start = end + 1;
  }
  return tokens;
}

namespace {

// "i" and "y" are interchangeable in many Vietnamese words (kí/ký, lí/lý, quí/quý): both
// spellings are in use, so neither is a slip.
bool SameLetter(char a, char b) {
  return a == b || (a == 'i' && b == 'y') || (a == 'y' && b == 'i');
}

}  // namespace

namespace {

// Optimal-string-alignment distance between `typed` and `word` (whole), or between `typed`
// and the closest prefix of `word`, row by row (one row per typed letter). Words are short, so
// three rows on the stack suffice.
int Distance(std::string_view typed, std::string_view word, int max_edits, bool prefix) {
  constexpr std::size_t kMaxWord = 63;
  const int over = max_edits + 1;
  if (typed.size() > kMaxWord || word.size() > kMaxWord) return typed == word ? 0 : over;
  if (max_edits <= 0) {  // no slip allowed: a comparison, letter by letter
    if (typed.size() > word.size() || (!prefix && typed.size() != word.size())) return over;
    for (std::size_t i = 0; i < typed.size(); ++i) {
      if (!SameLetter(typed[i], word[i])) return over;
    }
    return 0;
  }
  const std::size_t m = word.size();
  int before[kMaxWord + 1];  // row i - 2
  int prev[kMaxWord + 1];    // row i - 1
  int cur[kMaxWord + 1];
  for (std::size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  int prev_best = 0;
  for (std::size_t i = 1; i <= typed.size(); ++i) {
    cur[0] = static_cast<int>(i);
    int row_best = cur[0];
    for (std::size_t j = 1; j <= m; ++j) {
      const int cost = SameLetter(typed[i - 1], word[j - 1]) ? 0 : 1;
      int d = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && SameLetter(typed[i - 1], word[j - 2]) &&
          SameLetter(typed[i - 2], word[j - 1])) {
        d = std::min(d, before[j - 2] + 1);
      }
      cur[j] = d;
      row_best = std::min(row_best, d);
    }
    // A cell depends on the two rows above it: once both are out of reach, so is the rest.
    if (row_best > max_edits && prev_best > max_edits) return over;
    prev_best = row_best;
    std::copy(prev, prev + m + 1, before);
    std::copy(cur, cur + m + 1, prev);
  }
  int best = prev[m];
  if (prefix) {
    for (std::size_t j = 0; j <= m; ++j) best = std::min(best, prev[j]);
  }
  return std::min(best, over);
}

bool IsVowel(char c) {
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

}  // namespace

int PrefixEditDistance(std::string_view typed, std::string_view word, int max_edits) {
  return Distance(typed, word, max_edits, true);
}

int EditDistance(std::string_view typed, std::string_view word, int max_edits) {
  return Distance(typed, word, max_edits, false);
}

std::string WithoutTelex(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = word[i];
    // "aa" â, "ee" ê, "oo" ô, "dd" đ: the second letter is the keystroke.
    if (!out.empty() && out.back() == c && (c == 'a' || c == 'e' || c == 'o' || c == 'd')) {
      continue;
    }
    // "w" after a, o or u marks ă, ơ, ư; alone it types ư.
    if (c == 'w') {
      if (out.empty() || (out.back() != 'a' && out.back() != 'o' && out.back() != 'u')) {
        out += 'u';
      }
      continue;
    }
    out += c;
  }
  if (out.size() > 1 && std::string_view("sfrxj").find(out.back()) != std::string_view::npos) {
    out.pop_back();
  }
  return out;
}

bool CouldBeSyllable(std::string_view word) {
  static constexpr std::string_view kOnsets[] = {
      "ngh", "ng", "nh", "ch", "tr", "th", "kh", "gh", "ph", "qu", "gi", "b", "c",
      "d",   "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",  "v", "x"};
  static constexpr std::string_view kFinals[] = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"};
  std::string_view rest = word;
  for (std::string_view onset : kOnsets) {
    // "gi" is an onset only before a vowel ("gia"); in "gin" it is g + i.
    if (rest.starts_with(onset) && (onset != "gi" || (rest.size() > 2 && IsVowel(rest[2])))) {
      rest.remove_prefix(onset.size());
      break;
    }
  }
  std::size_t vowels = 0;
  while (vowels < rest.size() && IsVowel(rest[vowels])) ++vowels;
  if (vowels == 0 || vowels > 3) return false;
  rest.remove_prefix(vowels);
  return std::ranges::find(kFinals, rest) != std::end(kFinals);
}

std::string SoundAlike(std::string_view word) {
  // Longest first: the first onset that begins the word is replaced.
  static constexpr std::pair<std::string_view, std::string_view> kOnsets[] = {
      {"ngh", "ng"}, {"gh", "g"}, {"kh", "k"}, {"ch", "j"}, {"tr", "j"}, {"th", "t"}, {"nh", "n"},
      {"ph", "f"},   {"c", "k"},  {"q", "k"},  {"d", "z"},  {"r", "z"},  {"s", "x"},
  };
  std::string out;
  std::string_view rest = word;
  // "gi" before a vowel is the onset z ("gia", "giay"); "gi" alone or before a consonant is
  // g + i ("gì", "gìn").
  if (rest.starts_with("gi") && rest.size() > 2 && IsVowel(rest[2])) {
    out = "z";
    rest.remove_prefix(2);
  } else {
    for (const auto& [from, to] : kOnsets) {
      if (rest.starts_with(from)) {
        out = to;
        rest.remove_prefix(from.size());
        break;
      }
    }
  }
  for (char c : rest) out += c == 'y' ? 'i' : c;
  if (out.size() > 2 && out.ends_with('h') &&
      (out[out.size() - 2] == 'n' || out[out.size() - 2] == 'c')) {
    out.pop_back();
  }
  return out;
}

int AllowedTypos(std::size_t letters) { return letters <= 3 ? 0 : letters <= 6 ? 1 : 2; }

std::string LowerFirst(std::string_view utf8) {
  const std::string valid = ToNfc(utf8);
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(valid.data());
  const auto size = static_cast<utf8proc_ssize_t>(valid.size());
  utf8proc_int32_t first = 0;
  const utf8proc_ssize_t n = utf8proc_iterate(bytes, size, &first);
  if (n <= 0) return valid;
  utf8proc_int32_t second = 0;
  if (utf8proc_iterate(bytes + n, size - n, &second) > 0 && utf8proc_isupper(second)) return valid;
  utf8proc_uint8_t lower[4];
  const utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(first), lower);
  return std::string(reinterpret_cast<const char*>(lower), static_cast<std::size_t>(m)) +
         valid.substr(static_cast<std::size_t>(n));
}

}  // namespace tinhso::core
