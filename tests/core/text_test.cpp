#include "core/text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace tinhso::core {
namespace {

// Byte spellings are written out so that the tests do not depend on how an editor normalises
// this file: "\u1ee6" is Ủ precomposed (NFC); "U\u0309" is U + hook above (NFD).

TEST(IsValidUtf8, AcceptsWellFormedText) {
  const std::string_view kCases[] = {
      "",
      "Bac Kan",
      "B\u1eafc K\u1ea1n",                 // Bắc Kạn, NFC
      "Ch\u1ee3 \u0110\u1ed3n",            // Chợ Đồn
      "Pa\u0301c N\u0103\u0323m",          // Pác Nặm, NFD
      "\xF0\x9F\x87\xBB\xF0\x9F\x87\xB3",  // 🇻🇳, four-byte sequences
      "\xEF\xBF\xBD",                      // U+FFFD itself
      "\xF4\x8F\xBF\xBF",                  // U+10FFFF, the last code point
      "\xED\x9F\xBF",                      // U+D7FF, just below the surrogates
      std::string_view("a\0b", 3),         // NUL is a valid code point
  };
  for (std::string_view c : kCases) {
    EXPECT_TRUE(IsValidUtf8(c)) << c;
  }
}

TEST(IsValidUtf8, RejectsIllFormedText) {
  struct Case {
    std::string_view bytes;
    std::string_view why;
  };
  const Case kCases[] = {
      {"\x80", "a lone continuation byte"},
      {"B\xE1\xBA", "a truncated three-byte sequence (Bắ cut short)"},
      {"\xC3", "a truncated two-byte sequence at the end"},
      {"\xC3(", "a lead byte followed by ASCII"},
      {"\xC0\x80", "overlong NUL (C0 is never valid)"},
      {"\xC1\xBF", "overlong two-byte form"},
      {"\xE0\x80\xAF", "overlong three-byte '/'"},
      {"\xF0\x80\x80\xAF", "overlong four-byte '/'"},
      {"\xED\xA0\x80", "a surrogate, U+D800"},
      {"\xED\xBF\xBF", "a surrogate, U+DFFF"},
      {"\xF4\x90\x80\x80", "above U+10FFFF"},
      {"\xF5\x80\x80\x80", "F5 is never valid"},
      {"\xFF", "FF is never valid"},
      {"H\xE0 N\xF4i", "Hà Nội in Windows-1258/Latin-1 bytes"},
      {"\xE1\xBA\xAF\x80", "valid ắ followed by a stray continuation"},
  };
  for (const Case& c : kCases) {
    EXPECT_FALSE(IsValidUtf8(c.bytes)) << c.why;
  }
}

TEST(ToNfc, ComposesVietnamese) {
  struct Case {
    std::string_view input;
    std::string_view nfc;
    std::string_view why;
  };
  const Case kCases[] = {
      {"B\u1eafc K\u1ea1n", "B\u1eafc K\u1ea1n", "already NFC"},
      {"Ba\u0306\u0301c Ka\u0323n", "B\u1eafc K\u1ea1n", "Bắc Kạn from NFD (breve + acute)"},
      {"Ba\u0301\u0306c", "B\u00e1\u0306c",
       "marks of the same class keep their order: acute then breve is not ắ"},
      {"U\u0309y ban Nha\u0302n da\u0302n", "\u1ee6y ban Nh\u00e2n d\u00e2n",
       "Ủy ban Nhân dân from NFD"},
      {"\u0110u\u031b\u0301c Xua\u0302n", "\u0110\u1ee9c Xu\u00e2n",
       "Đức Xuân: Đ has no decomposition, ư + acute composes to ứ"},
      {"Nguye\u0302\u0303n Thi\u0323 Minh Khai", "Nguy\u1ec5n Th\u1ecb Minh Khai",
       "dot below (class 220) sorts before circumflex (230) in NFD; NFC rebuilds ễ"},
      {"Nguye\u0303\u0302n", "Nguy\u1ebd\u0302n",
       "tilde typed before circumflex: same-class marks are never reordered, so this is ẽ + ̂, "
       "not ễ (SearchKey still matches it)"},
      {"hoa\u0300", "ho\u00e0", "hoà: the tone stays on the a"},
      {"ho\u0300a", "h\u00f2a", "hòa: the tone stays on the o; placement is not changed"},
      {"Ha\u0300 N\xF4i", "H\u00e0 N\uFFFDi", "an invalid byte becomes U+FFFD"},
      {"plain ASCII", "plain ASCII", "fast path"},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(ToNfc(c.input), c.nfc) << c.why;
    EXPECT_TRUE(IsValidUtf8(ToNfc(c.input))) << c.why;
  }
}

TEST(SearchKey, FoldsCaseDiacriticsAndSpacing) {
  struct Case {
    std::string_view input;
    std::string_view key;
  };
  const Case kCases[] = {
      {"\u1ee6y ban Nh\u00e2n d\u00e2n", "uy ban nhan dan"},       // Ủy ban Nhân dân
      {"U\u0309Y BAN NHA\u0302N DA\u0302N", "uy ban nhan dan"},    // NFD, upper case
      {"B\u1eafc K\u1ea1n", "bac kan"},                            // Bắc Kạn
      {"Ch\u1ee3 \u0110\u1ed3n", "cho don"},                       // Chợ Đồn
      {"CH\u1ee2 \u0110\u1ed2N", "cho don"},                       // CHỢ ĐỒN
      {"\u0110\u1ee9c Xu\u00e2n", "duc xuan"},                     // Đức Xuân
      {"P\u00e1c N\u1eb7m", "pac nam"},                            // Pác Nặm
      {"Pa\u0301c Na\u0306\u0323m", "pac nam"},                    // Pác Nặm, NFD
      {"Nguy\u1ec5n Th\u1ecb Minh Khai", "nguyen thi minh khai"},  //
      {"  Nguy\u1ec5n\tTh\u1ecb\n\nMinh \u00a0 Khai  ", "nguyen thi minh khai"},  // any spaces
      {"ho\u00e0", "hoa"},                                                        // hoà
      {"h\u00f2a", "hoa"},                                                        // hòa
      {"hoa\u0300", "hoa"},                                                       // hoà, NFD
      {"thu\u1ef7", "thuy"},                                                      // thuỷ
      {"th\u1ee7y", "thuy"},                                                      // thủy
      {"\u0110\u01af\u1edcNG", "duong"},                                          // ĐƯỜNG
      {"\u00d0\u1eafk L\u1eafk", "dak lak"},  // Ð (U+00D0) typed for Đ, as old fonts do
      {"B\u00e0 R\u1ecba-V\u0169ng T\u00e0u", "ba ria vung tau"},  // punctuation separates
      {"K'Bang", "kbang"},                                         // apostrophes are dropped
      {"Ea H\u2019Leo", "ea hleo"},                                // typographic apostrophe
      {"S\u1ed1 145/2020/N\u0110-CP", "so 145 2020 nd cp"},        // a decree number
      {"\uff2e\uff27\uff2f", "ngo"},                               // full-width letters
      {"x\xFFy", "x y"},                                           // invalid byte separates
      {"", ""},
      {" \t\n", ""},
      {"...", ""},
  };
  for (const Case& c : kCases) {
    EXPECT_EQ(SearchKey(c.input), c.key) << c.input;
  }
}

TEST(SearchKey, BothTonePlacementsAndBothFormsMatch) {
  // The same name as a user might type it on Windows, on macOS, or with the "old" tone rule.
  const std::string_view kSpellings[] = {
      "Kh\u00e1nh H\u00f2a",    // Khánh Hòa (new placement)
      "Kh\u00e1nh Ho\u00e0",    // Khánh Hoà (old placement)
      "Kha\u0301nh Ho\u0300a",  // NFD, new placement
      "Kha\u0301nh Hoa\u0300",  // NFD, old placement
      "KH\u00c1NH H\u00d2A",    // upper case
      "khanh hoa",              // typed without a Vietnamese keyboard
  };
  for (std::string_view s : kSpellings) {
    EXPECT_EQ(SearchKey(s), "khanh hoa") << s;
  }
}

TEST(SearchTokens, SplitsTheFoldedWords) {
  EXPECT_EQ(SearchTokens("Ch\u1ee3 \u0110\u1ed3n, B\u1eafc K\u1ea1n"),
            (std::vector<std::string>{"cho", "don", "bac", "kan"}));
  EXPECT_EQ(SearchTokens("  x\u00e3  \u0110\u1ee9c Xu\u00e2n "),
            (std::vector<std::string>{"xa", "duc", "xuan"}));
  EXPECT_TRUE(SearchTokens("").empty());
  EXPECT_TRUE(SearchTokens(" - ").empty());
}

TEST(PrefixEditDistance, CountsTypingSlipsAgainstTheBeginningOfAWord) {
  EXPECT_EQ(PrefixEditDistance("khai", "khai", 2), 0);
  EXPECT_EQ(PrefixEditDistance("kha", "khai", 2), 0) << "a beginning is no slip";
  EXPECT_EQ(PrefixEditDistance("kahi", "khai", 2), 1) << "two neighbours swapped";
  EXPECT_EQ(PrefixEditDistance("sinhh", "sinh", 2), 1) << "one letter too many";
  EXPECT_EQ(PrefixEditDistance("sih", "sinh", 2), 1) << "one letter missing";
  EXPECT_EQ(PrefixEditDistance("chungthuc", "chung", 2), 3) << "four letters beyond the word";
  EXPECT_EQ(PrefixEditDistance("ket", "kethon", 2), 0);
  EXPECT_EQ(PrefixEditDistance("xyzw", "khai", 1), 2) << "capped at max_edits + 1";
  EXPECT_EQ(PrefixEditDistance("", "khai", 1), 0);
  EXPECT_EQ(PrefixEditDistance("dang", "", 1), 2);
  EXPECT_EQ(PrefixEditDistance("ki", "ky", 0), 0) << "kí and ký are both in use";
  EXPECT_EQ(AllowedTypos(3), 0);
  EXPECT_EQ(AllowedTypos(5), 1);
  EXPECT_EQ(AllowedTypos(9), 2);
}

TEST(EditDistance, CountsTypingSlipsAgainstTheWholeWord) {
  EXPECT_EQ(EditDistance("khai", "khai", 2), 0);
  EXPECT_EQ(EditDistance("kha", "khai", 2), 1) << "a beginning is one letter short";
  EXPECT_EQ(EditDistance("sinhf", "sinh", 2), 1);
  EXPECT_EQ(EditDistance("si", "sinh", 1), 2) << "capped at max_edits + 1";
  EXPECT_EQ(EditDistance("ki", "ky", 0), 0);
}

TEST(WithoutTelex, DropsTheKeystrokesOfAKeyboardLeftOff) {
  EXPECT_EQ(WithoutTelex("sinhf"), "sinh");
  EXPECT_EQ(WithoutTelex("kys"), "ky");
  EXPECT_EQ(WithoutTelex("ddawng"), "dang");
  EXPECT_EQ(WithoutTelex("keets"), "ket");
  EXPECT_EQ(WithoutTelex("hoon"), "hon");
  EXPECT_EQ(WithoutTelex("nuwowcs"), "nuoc") << "nước";
  EXPECT_EQ(WithoutTelex("khai"), "khai") << "nothing to remove";
}

TEST(CouldBeSyllable, TellsWordsAsTypedFromSlips) {
  for (std::string_view w : {"chao", "khai", "sinh", "nguoi", "quyen", "giay", "gi", "uy",
                             "nghieng", "a", "thuong", "hoon"}) {
    EXPECT_TRUE(CouldBeSyllable(w)) << w;
  }
  for (std::string_view w :
       {"kahi", "sinhh", "dnag", "sinhf", "registration", "khaisinh", "tnhh", "", "6"}) {
    EXPECT_FALSE(CouldBeSyllable(w)) << w;
  }
}

TEST(SoundAlike, JoinsSpellingsPeopleConfuse) {
  EXPECT_EQ(SoundAlike("kai"), SoundAlike("khai"));
  EXPECT_EQ(SoundAlike("cai"), SoundAlike("khai"));
  EXPECT_EQ(SoundAlike("dam"), SoundAlike("giam"));
  EXPECT_EQ(SoundAlike("ram"), SoundAlike("giam"));
  EXPECT_EQ(SoundAlike("sac"), SoundAlike("xac"));
  EXPECT_EQ(SoundAlike("trung"), SoundAlike("chung"));
  EXPECT_EQ(SoundAlike("fep"), SoundAlike("phep"));
  EXPECT_EQ(SoundAlike("sin"), SoundAlike("sinh"));
  EXPECT_EQ(SoundAlike("lic"), SoundAlike("lich"));
  EXPECT_EQ(SoundAlike("ly"), SoundAlike("li"));
  EXPECT_EQ(SoundAlike("ngi"), SoundAlike("nghi"));
  EXPECT_NE(SoundAlike("gi"), SoundAlike("di")) << "gì is g + i";
  EXPECT_NE(SoundAlike("dan"), SoundAlike("dang")) << "final n and ng stay apart";
  EXPECT_NE(SoundAlike("lam"), SoundAlike("nam")) << "l and n stay apart";
}

}  // namespace
}  // namespace tinhso::core

namespace tinhso::core {
namespace {

TEST(Unaccented, KeepsCasePunctuationAndDigits) {
  EXPECT_EQ(Unaccented("Hồ sơ H55.01-250310-0001 đã được tiếp nhận."),
            "Ho so H55.01-250310-0001 da duoc tiep nhan.");
  EXPECT_EQ(Unaccented("ĐẮK LẮK, Đồng Nai: 150.000 đồng!"), "DAK LAK, Dong Nai: 150.000 dong!");
  // Decomposed input (macOS, some PDFs) and both tone placements give the same text.
  EXPECT_EQ(Unaccented("Tho\u0309a thua\u0323n"), "Thoa thuan");
  EXPECT_EQ(Unaccented("hoà hòa"), "hoa hoa");
  EXPECT_EQ(Unaccented("K'Bang, Ea H'Leo"), "K'Bang, Ea H'Leo");
  EXPECT_EQ(Unaccented(""), "");
  EXPECT_EQ(Unaccented("\xff"), "\xEF\xBF\xBD");  // U+FFFD
}

TEST(CodePoints, DecodesAndReplacesInvalidBytes) {
  EXPECT_EQ(CodePoints("aộ€"), std::u32string(U"aộ€"));
  EXPECT_EQ(CodePoints("a\xc3"), std::u32string(U"a\uFFFD"));
}

}  // namespace
}  // namespace tinhso::core
